// CurlLibrary: libcurl, loaded the first time an HTTP request is made.
//
// libcurl and what it links (TLS, HTTP/2, IDN, GSSAPI, LDAP, ...) cost several milliseconds
// and megabytes to load. Platform agents spawn this server once per tool call, and many of
// those calls (initialize, tools/list, a refused write) never touch the network, so the
// library is opened with dlopen() on first use instead of at process start.
//
// Thread-safety: get() may be called from any thread; the table is immutable once loaded.
#pragma once

#include <curl/curl.h>

#include "common/result.h"

namespace ecs_mcp {

struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  void (*easy_reset)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  CURLcode (*easy_perform)(CURL* handle);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);

  // Loads libcurl (once) and runs curl_global_init; an Error names what could not be found.
  static Result<const CurlLibrary*> get();
};

}  // namespace ecs_mcp
