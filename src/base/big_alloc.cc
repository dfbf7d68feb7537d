#include "base/big_alloc.h"

#include <sys/mman.h>

#include <cstdint>

namespace cx {
namespace {

constexpr std::size_t kHuge = std::size_t(2) << 20;

std::size_t Rounded(std::size_t bytes) { return (bytes + kHuge - 1) / kHuge * kHuge; }

}  // namespace

void* BigAllocate(std::size_t bytes) {
  if (bytes < kHuge) return ::operator new(bytes);
  // Maps one extra huge page so that the block can start on a 2 MiB boundary.
  const std::size_t size = Rounded(bytes);
  void* raw =
      mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHuge - 1) / kHuge * kHuge;
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t end = start + size + kHuge;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  void* p = reinterpret_cast<void*>(aligned);
  madvise(p, size, MADV_HUGEPAGE);  // advice only: no huge pages is not an error
  return p;
}

void BigFree(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  if (bytes < kHuge) {
    ::operator delete(p);
    return;
  }
  munmap(p, Rounded(bytes));
}

}  // namespace cx
