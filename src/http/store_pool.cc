#include "http/store_pool.h"

#include "store/backends/open_store.h"

namespace roster::http {

StorePool::Lease::~Lease() {
  if (store_) pool_->Release(std::move(store_));
}

Result<StorePool::Lease> StorePool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Store> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(store));
    }
  }
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(url_, clock_));
  return Lease(*this, std::move(store));
}

void StorePool::Release(std::unique_ptr<Store> store) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(store));
}

}  // namespace roster::http
