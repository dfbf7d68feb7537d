// Two-thread pipelines: one thread produces items, the calling thread consumes them, in
// order, through a bounded queue of batches. Used where one half of a job (parsing a sheet,
// reading the database) can run while the other (writing the database, compressing a
// workbook) works.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/status.h"

namespace cx {

// Items in batches of `batch`, at most `max_batches` waiting: the producer waits when the
// consumer falls behind, so memory stays bounded.
template <typename T>
class BatchPipe {
 public:
  explicit BatchPipe(size_t batch = 256, size_t max_batches = 8)
      : batch_(batch), max_batches_(max_batches) {}

  // Producer: queues one item. Fails once the consumer has stopped.
  Status Push(T item) {
    filling_.push_back(std::move(item));
    if (filling_.size() < batch_) return Status::Ok();
    return Flush();
  }
  // Producer: hands the items queued so far over without waiting for a full batch, so that a
  // few big items (a hostile sheet's rows of megabytes) do not pile up to a whole batch.
  // Fails once the consumer has stopped.
  Status Flush() {
    if (filling_.empty()) return Status::Ok();
    std::deque<std::vector<T>> spent;
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return cancelled_ || full_.size() < max_batches_; });
    if (cancelled_) return Conflict("the consumer stopped");
    full_.push_back(std::move(filling_));
    spent.swap(spent_);
    ready_.notify_one();
    lock.unlock();
    // The spent items are freed here, on the thread that allocated them, and the spent batches
    // keep their room for the next ones: a batch of big items is a megabyte, which allocated
    // afresh each time came as new pages the kernel had to clear.
    for (auto& b : spent) {
      b.clear();
      room_kept_.push_back(std::move(b));
    }
    filling_.clear();
    if (!room_kept_.empty()) {
      filling_.swap(room_kept_.back());
      room_kept_.pop_back();
    } else {
      filling_.reserve(batch_);
    }
    return Status::Ok();
  }
  // Producer: no more items; `end` is the producer's outcome.
  void Close(Status end) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!filling_.empty()) full_.push_back(std::move(filling_));
    closed_ = true;
    end_ = std::move(end);
    ready_.notify_one();
  }
  // Consumer: stops the producer at its next full batch.
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    room_.notify_one();
  }
  // Consumer: feeds every item to `fn` (Status(T&)) in order until the producer is done
  // (returning its outcome) or `fn` fails (returning that, and stopping the producer).
  // After each batch, `done()` (Status()) runs while the batch's items still live. The items
  // go back to the producer, to be freed on the thread that made them: frees from another
  // thread contend for the allocator's lock.
  template <typename Fn, typename Done>
  Status Drain(Fn&& fn, Done&& done) {
    for (;;) {
      std::vector<T> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return closed_ || !full_.empty(); });
        if (full_.empty()) return end_;
        batch = std::move(full_.front());
        full_.pop_front();
        room_.notify_one();
      }
      Status st;
      for (T& item : batch) {
        st = fn(item);
        if (!st.ok()) break;
      }
      if (st.ok()) st = done();
      if (!st.ok()) {
        Cancel();
        return st;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (!closed_) spent_.push_back(std::move(batch));
    }
  }
  template <typename Fn>
  Status Drain(Fn&& fn) {
    return Drain(std::forward<Fn>(fn), [] { return Status::Ok(); });
  }

 private:
  const size_t batch_, max_batches_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<T>> full_;
  std::deque<std::vector<T>> spent_;       // consumed, for the producer to free
  std::vector<T> filling_;                 // the producer's own
  std::vector<std::vector<T>> room_kept_;  // the producer's emptied batches, for reuse
  bool closed_ = false, cancelled_ = false;
  Status end_;
};

// Runs `produce(BatchPipe<T>&)` on a second thread while `consume(T&)` runs on this one, and
// `done()` (Status()) after each batch, while its items still live.
// Returns the first failure: the consumer's (which stops the producer) or else the
// producer's, after every item it queued has been consumed.
template <typename T, typename Produce, typename Consume, typename Done>
Status PipelinedBatches(Produce&& produce, Consume&& consume, Done&& done, size_t batch = 256,
                        size_t max_batches = 8) {
  BatchPipe<T> pipe(batch, max_batches);
  std::thread producer([&] {
    Status st;
    try {
      st = produce(pipe);
    } catch (const std::exception& e) {
      st = Internal(std::string("unexpected error: ") + e.what());
    }
    pipe.Close(std::move(st));
  });
  Status st;
  try {
    st = pipe.Drain(consume, done);
  } catch (...) {
    pipe.Cancel();
    producer.join();
    throw;
  }
  producer.join();
  return st;
}

// PipelinedBatches without a step after each batch.
template <typename T, typename Produce, typename Consume>
Status Pipelined(Produce&& produce, Consume&& consume, size_t batch = 256, size_t max_batches = 8) {
  return PipelinedBatches<T>(
      std::forward<Produce>(produce), std::forward<Consume>(consume), [] { return Status::Ok(); },
      batch, max_batches);
}

}  // namespace cx
