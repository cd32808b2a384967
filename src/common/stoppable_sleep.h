// sleep_unless_stopped: a sleep that ends the moment a stop is requested.
//
// Waits that poll a cancellation flag in slices notice it late (up to a slice) and wake for
// nothing many times a second; this one waits on a condition variable tied to the stop token,
// so a cancellation wakes it at once and an uncancelled wait costs no wake-ups at all.
//
// Thread-safety: reentrant; any thread may request the stop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace ecs_mcp {

// Sleeps `duration`, or until `stop` is requested; true when the whole time passed.
inline bool sleep_unless_stopped(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace ecs_mcp
