// AnswerCache: the last few answers of the documentation tools, kept for a while, so that a
// repeated search or the next page of a document costs the rate-limited remote nothing.
// Least recently used entries go first; an entry older than the time to live is a miss.
//
// Thread-safety: get() and put() may be called concurrently.
#pragma once

#include <chrono>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

namespace ecs_mcp::ecs {

class AnswerCache {
 public:
  AnswerCache(size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  std::optional<nlohmann::json> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (std::chrono::steady_clock::now() - it->second->stored >= ttl_) {
      lru_.erase(it->second);
      index_.erase(it);
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->value;
  }

  void put(const std::string& key, nlohmann::json value) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.erase(it->second);
      index_.erase(it);
    }
    lru_.push_front(Entry{key, std::move(value), std::chrono::steady_clock::now()});
    index_[key] = lru_.begin();
    if (lru_.size() > capacity_) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
  }

 private:
  struct Entry {
    std::string key;
    nlohmann::json value;
    std::chrono::steady_clock::time_point stored;
  };
  size_t capacity_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace ecs_mcp::ecs
