// Search-first of a load's new records on a second thread, against the hub as it was when the
// load began (docs/store.md, "Search-first beside the writer"). The load's writer hands over
// each new record whose answer the hub as it was gives (see SearchVisibleRewrites in
// store/name_index_store.h) and reads the answers when it has written everything else.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/match.h"
#include "store/store.h"

namespace cx {

class SearchFirstAside {
 public:
  // Opens a sibling of `store` (Store::OpenSibling) and starts the thread that searches on it;
  // nullptr when the store offers no sibling (or CXHUB_SEARCH_ASIDE=0 turns this off).
  static Result<std::unique_ptr<SearchFirstAside>> Start(Store& store);
  ~SearchFirstAside();  // stops the thread (answers not collected are dropped)
  SearchFirstAside(const SearchFirstAside&) = delete;
  SearchFirstAside& operator=(const SearchFirstAside&) = delete;

  // Queues FindProbableDuplicates(k, keys, exclude_id) on the hub as it was; returns the
  // search's number (0, 1, … in the order of the calls). Waits while many are queued.
  size_t Add(NameKind k, MatchKeys keys, std::string exclude_id);
  // Waits for every search queued; their answers by number, or the first failure.
  Result<std::vector<std::vector<Match>>> Finish();

 private:
  struct Search {
    NameKind kind;
    MatchKeys keys;
    std::string exclude_id;
  };
  // Searches queued at most: a load of millions of new records waits for the thread rather than
  // keep them all.
  static constexpr size_t kMaxQueued = 16384;

  explicit SearchFirstAside(std::unique_ptr<Store> sibling) : sibling_(std::move(sibling)) {}
  void Run();
  void Stop();

  std::unique_ptr<Store> sibling_;
  std::mutex mu_;
  std::condition_variable queued_, taken_;
  std::deque<Search> queue_;
  size_t added_ = 0;
  bool closed_ = false;   // no more searches will come
  bool stopped_ = false;  // the thread ended (done, or failed)
  std::vector<std::vector<Match>> answers_;
  Status failure_;
  std::thread thread_;
};

}  // namespace cx
