#include "service/search_first_aside.h"

#include <cstdlib>
#include <cstring>

namespace cx {

Result<std::unique_ptr<SearchFirstAside>> SearchFirstAside::Start(Store& store) {
  const char* env = std::getenv("CXHUB_SEARCH_ASIDE");
  if (env && std::strcmp(env, "0") == 0) return std::unique_ptr<SearchFirstAside>();
  CX_ASSIGN_OR_RETURN(auto sibling, store.OpenSibling());
  if (!sibling) return std::unique_ptr<SearchFirstAside>();
  std::unique_ptr<SearchFirstAside> aside(new SearchFirstAside(std::move(sibling)));
  try {
    aside->thread_ = std::thread([a = aside.get()] { a->Run(); });
  } catch (const std::system_error&) {
    return std::unique_ptr<SearchFirstAside>();  // no thread to spare: the writer searches
  }
  return aside;
}

SearchFirstAside::~SearchFirstAside() {
  {
    // Not collected (the load failed): the searches still queued are not run.
    std::lock_guard<std::mutex> lock(mu_);
    queue_.clear();
  }
  Stop();
}

void SearchFirstAside::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t SearchFirstAside::Add(NameKind k, MatchKeys keys, std::string exclude_id) {
  std::unique_lock<std::mutex> lock(mu_);
  taken_.wait(lock, [&] { return queue_.size() < kMaxQueued || stopped_; });
  queue_.push_back(Search{k, std::move(keys), std::move(exclude_id)});
  const size_t n = added_++;
  lock.unlock();
  queued_.notify_one();
  return n;
}

Result<std::vector<std::vector<Match>>> SearchFirstAside::Finish() {
  Stop();
  CX_RETURN_IF_ERROR(failure_);
  if (answers_.size() != added_) return Internal("search-first beside the load lost searches");
  return std::move(answers_);
}

void SearchFirstAside::Run() {
  // One read transaction for the whole load: its snapshot is the hub as it was when the load
  // began, since the load's writes are not committed before it ends.
  Status st = sibling_->Read([&](Tx& tx) -> Status {
    for (;;) {
      Search s;
      {
        std::unique_lock<std::mutex> lock(mu_);
        queued_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return Status::Ok();
        s = std::move(queue_.front());
        queue_.pop_front();
      }
      taken_.notify_one();
      CX_ASSIGN_OR_RETURN(auto found, FindProbableDuplicates(tx, s.kind, s.keys, s.exclude_id));
      std::lock_guard<std::mutex> lock(mu_);
      answers_.push_back(std::move(found));
    }
  });
  {
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = st;
    stopped_ = true;
  }
  taken_.notify_all();
  sibling_.reset();  // the connection closes on this thread, where it was last used
}

}  // namespace cx
