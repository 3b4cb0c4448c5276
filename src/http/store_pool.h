#pragma once

// StorePool: Store connections for the server's threads. A Store is used by one thread at a
// time (store.h), so each request leases one and gives it back; connections are opened on
// demand and up to `max_idle` are kept for the next requests.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/store.h"

namespace roster::http {

class StorePool {
 public:
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  StorePool(std::string url, const Clock& clock, size_t max_idle = 8)
      : url_(std::move(url)), clock_(clock), max_idle_(max_idle) {}

  // kUnavailable when no connection can be opened.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Store> store);

  std::string url_;
  const Clock& clock_;
  size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace roster::http
