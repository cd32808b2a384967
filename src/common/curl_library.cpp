#include "common/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace ecs_mcp {
namespace {

template <typename Fn>
bool bind(void* lib, const char* name, Fn& out, std::string& missing) {
  out = reinterpret_cast<Fn>(::dlsym(lib, name));
  if (out == nullptr) missing += std::string(missing.empty() ? "" : ", ") + name;
  return out != nullptr;
}

Result<const CurlLibrary*> load() {
  static CurlLibrary table{};
  void* lib = nullptr;
  std::string tried;
  // The soname of every libcurl 7.x/8.x build; the unversioned name only exists with -dev.
  for (const char* name : {"libcurl.so.4", "libcurl.so"}) {
    lib = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) break;
    const char* why = ::dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (why ? why : name);
  }
  if (lib == nullptr) {
    return make_error(ErrorCode::kHttpError,
                      "libcurl could not be loaded (" + tried + "); install the libcurl4 package");
  }
  std::string missing;
  bind(lib, "curl_global_init", table.global_init, missing);
  bind(lib, "curl_easy_init", table.easy_init, missing);
  bind(lib, "curl_easy_cleanup", table.easy_cleanup, missing);
  bind(lib, "curl_easy_reset", table.easy_reset, missing);
  bind(lib, "curl_easy_setopt", table.easy_setopt, missing);
  bind(lib, "curl_easy_getinfo", table.easy_getinfo, missing);
  bind(lib, "curl_easy_perform", table.easy_perform, missing);
  bind(lib, "curl_easy_strerror", table.easy_strerror, missing);
  bind(lib, "curl_slist_append", table.slist_append, missing);
  bind(lib, "curl_slist_free_all", table.slist_free_all, missing);
  bind(lib, "curl_url", table.url, missing);
  bind(lib, "curl_url_cleanup", table.url_cleanup, missing);
  bind(lib, "curl_url_set", table.url_set, missing);
  bind(lib, "curl_url_get", table.url_get, missing);
  bind(lib, "curl_free", table.free, missing);
  if (!missing.empty()) {
    return make_error(ErrorCode::kHttpError, "the loaded libcurl lacks " + missing);
  }
  if (table.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return make_error(ErrorCode::kHttpError, "curl_global_init failed");
  }
  return &table;
}

}  // namespace

Result<const CurlLibrary*> CurlLibrary::get() {
  static std::once_flag once;
  static Result<const CurlLibrary*> loaded =
      make_error(ErrorCode::kHttpError, "libcurl not loaded");
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

}  // namespace ecs_mcp
