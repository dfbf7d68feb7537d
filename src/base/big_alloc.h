// An allocator for large arrays built in one go (a million SLA items, say): blocks of 2 MiB or more
// are mapped with transparent huge pages advised, so that filling them takes a page fault per
// 2 MiB rather than per 4 KiB. Smaller blocks come from operator new. Where the kernel does
// not offer huge pages the advice is ignored and the block behaves as any other.
#pragma once

#include <cstddef>
#include <new>

namespace cx {

void* BigAllocate(std::size_t bytes);
void BigFree(void* p, std::size_t bytes) noexcept;

template <class T>
struct BigAllocator {
  using value_type = T;
  BigAllocator() = default;
  template <class U>
  BigAllocator(const BigAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(BigAllocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { BigFree(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const BigAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace cx
