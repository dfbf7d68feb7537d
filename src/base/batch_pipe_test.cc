// Tests of the two-thread pipeline: order, bounded hand-over, stops from either side.
#include "base/batch_pipe.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cx
