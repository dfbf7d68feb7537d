// Tests of the two-thread pipeline: order, bounded hand-over, stops from either side.
#include "base/batch_pipe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include <atomic>
#include <stdexcept>

namespace cx {
namespace {

TEST(BatchPipe, EveryItemArrivesOnceInOrder) {
  std::vector<int> got;
  Status st = Pipelined<int>(
      [](BatchPipe<int>& p) -> Status {
        for (int i = 0; i < 10000; ++i) CX_RETURN_IF_ERROR(p.Push(i));
        return Status::Ok();
      },
      [&](int& i) {
        got.push_back(i);
        return Status::Ok();
      },
      16, 2);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(got.size(), 10000u);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(got[size_t(i)], i);
}

TEST(BatchPipe, AConsumerFailureStopsTheProducer) {
  std::atomic<int> pushed{0};
  Status producer_saw;
  int consumed = 0;
  Status st = Pipelined<int>(
      [&](BatchPipe<int>& p) -> Status {
        for (int i = 0; i < 1000000; ++i) {
          Status s = p.Push(i);
          if (!s.ok()) {
            producer_saw = s;
            return s;
          }
          ++pushed;
        }
        return Status::Ok();
      },
      [&](int& i) {
        ++consumed;
        return i == 100 ? Invalid("item 100 is bad") : Status::Ok();
      },
      16, 2);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(), "item 100 is bad");
  EXPECT_EQ(consumed, 101);
  EXPECT_FALSE(producer_saw.ok());     // it was told to stop …
  EXPECT_LT(pushed.load(), 100 + 64);  // … a few batches ahead at most
}

TEST(BatchPipe, AProducerFailureComesAfterItsItems) {
  int consumed = 0;
  Status st = Pipelined<int>(
      [](BatchPipe<int>& p) -> Status {
        for (int i = 0; i < 50; ++i) CX_RETURN_IF_ERROR(p.Push(i));
        return Invalid("the file ends mid-row");
      },
      [&](int&) {
        ++consumed;
        return Status::Ok();
      },
      16, 2);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(consumed, 50);
  Status thrown =
      Pipelined<int>([](BatchPipe<int>&) -> Status { throw std::runtime_error("boom"); },
                     [](int&) { return Status::Ok(); });
  EXPECT_EQ(thrown.code(), Code::kInternal);
  EXPECT_NE(thrown.message().find("boom"), std::string::npos);
}

// Records the thread that frees it.
struct Tracked {
  static std::mutex mu;
  static std::vector<std::thread::id> freed_on;
  bool live = true;
  Tracked() = default;
  Tracked(Tracked&& o) noexcept { o.live = false; }
  Tracked& operator=(Tracked&& o) noexcept {
    live = o.live;
    o.live = false;
    return *this;
  }
  ~Tracked() {
    if (!live) return;
    std::lock_guard<std::mutex> lock(mu);
    freed_on.push_back(std::this_thread::get_id());
  }
};
std::mutex Tracked::mu;
std::vector<std::thread::id> Tracked::freed_on;

TEST(BatchPipe, EachBatchEndsWithItsStepAndItsItemsAreFreedByTheProducer) {
  Tracked::freed_on.clear();
  std::thread::id producer_id;
  std::vector<int> seen_in_batch, step_sizes;
  Status st = PipelinedBatches<Tracked>(
      [&](BatchPipe<Tracked>& p) -> Status {
        producer_id = std::this_thread::get_id();
        for (int i = 0; i < 1000; ++i) CX_RETURN_IF_ERROR(p.Push(Tracked()));
        return Status::Ok();
      },
      [&](Tracked& t) {
        EXPECT_TRUE(t.live);
        seen_in_batch.push_back(1);
        return Status::Ok();
      },
      [&] {
        step_sizes.push_back(int(seen_in_batch.size()));
        seen_in_batch.clear();
        return Status::Ok();
      },
      10, 2);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(step_sizes.size(), 100u);
  for (int n : step_sizes) EXPECT_EQ(n, 10);
  ASSERT_EQ(Tracked::freed_on.size(), 1000u);
  // All but the last few batches (consumed after the producer's last hand-over) are freed on
  // the producer's thread.
  const auto on_producer =
      std::count(Tracked::freed_on.begin(), Tracked::freed_on.end(), producer_id);
  EXPECT_GE(on_producer, 1000 - 10 * 8);
}

TEST(BatchPipe, AFailingStepStopsThePipe) {
  int steps = 0;
  Status st = PipelinedBatches<int>(
      [](BatchPipe<int>& p) -> Status {
        for (int i = 0; i < 100000; ++i) CX_RETURN_IF_ERROR(p.Push(i));
        return Status::Ok();
      },
      [](int&) { return Status::Ok(); },
      [&] { return ++steps == 3 ? Conflict("the disk is full") : Status::Ok(); }, 16, 2);
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_EQ(steps, 3);
}

}  // namespace
}  // namespace cx
