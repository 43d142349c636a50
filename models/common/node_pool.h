// NodePool: recycled storage for the nodes of node-based containers
// (std::set, std::unordered_map) on a hot path, so that inserting and
// erasing an element does not call the heap each time.
//
// A pool keeps freed blocks on free lists (one per 16-byte size class up
// to kMaxBlock bytes) and hands them out again; a list grows only when all
// its blocks are in use, so the pool holds at most the container's
// high-water mark of nodes, and gives every block back to the heap when it
// is destroyed. Requests for more than one object or for large objects
// (a hash table's bucket array) go to the heap as usual.
//
// PoolAllocator<T> is a std::allocator-compatible handle on a pool shared
// by the containers that use it (std::shared_ptr: a container and its
// copies may outlive the object that made the pool). Containers using it
// behave exactly as with std::allocator (same elements, same iteration
// order); only where their nodes live changes.
// Plain C++, no simulation kernel. Not thread-safe (nor is the model).
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace itsim {

class NodePool {
public:
    static constexpr std::size_t kMaxBlock = 128;

    NodePool() = default;
    NodePool(const NodePool&) = delete;
    NodePool& operator=(const NodePool&) = delete;
    ~NodePool() {
        for (Free*& head : free_)
            while (head) {
                Free* next = head->next;
                ::operator delete(static_cast<void*>(head));
                head = next;
            }
    }

    static bool pooled(std::size_t bytes) { return bytes != 0 && bytes <= kMaxBlock; }

    void* get(std::size_t bytes) {
        Free*& head = free_[index(bytes)];
        if (!head) return ::operator new(rounded(bytes));
        Free* b = head;
        head = b->next;
        return b;
    }
    void put(void* p, std::size_t bytes) {
        Free* b = static_cast<Free*>(p);
        Free*& head = free_[index(bytes)];
        b->next = head;
        head = b;
    }

private:
    struct Free {
        Free* next;
    };
    static constexpr std::size_t kStep = 16;
    static std::size_t index(std::size_t bytes) { return (bytes - 1) / kStep; }
    static std::size_t rounded(std::size_t bytes) { return (index(bytes) + 1) * kStep; }
    Free* free_[kMaxBlock / kStep] = {};
};

template <class T>
class PoolAllocator {
public:
    using value_type = T;

    PoolAllocator() : pool_(std::make_shared<NodePool>()) {}
    explicit PoolAllocator(std::shared_ptr<NodePool> pool) : pool_(std::move(pool)) {}
    template <class U>
    PoolAllocator(const PoolAllocator<U>& o) noexcept : pool_(o.pool()) {}

    T* allocate(std::size_t n) {
        if (n == 1 && NodePool::pooled(sizeof(T))) return static_cast<T*>(pool_->get(sizeof(T)));
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n == 1 && NodePool::pooled(sizeof(T))) pool_->put(p, sizeof(T));
        else ::operator delete(static_cast<void*>(p));
    }

    const std::shared_ptr<NodePool>& pool() const { return pool_; }

    template <class U>
    bool operator==(const PoolAllocator<U>& o) const noexcept { return pool_ == o.pool(); }
    template <class U>
    bool operator!=(const PoolAllocator<U>& o) const noexcept { return pool_ != o.pool(); }

private:
    std::shared_ptr<NodePool> pool_;
};

}  // namespace itsim
