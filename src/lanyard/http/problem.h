// RFC 9457 problem details: how every Lanyard HTTP error looks on the wire.
//
// An error response is `application/problem+json` with the members
//   type    "urn:lanyard:problem:<code>", e.g. "urn:lanyard:problem:http.body_too_large"
//   title   the status's reason phrase ("Payload Too Large") unless the caller names one
//   status  the HTTP status, repeated so the body stands on its own
//   detail  a sentence for a person about this occurrence
//   code    the stable dotted code alone (clients switch on this, not on the text)
// plus "instance" and extra members when a caller adds them. The type is a URN rather than an
// https URL on purpose: Lanyard runs on each organisation's own host, so there is no single site
// that could serve documentation for it, and a URL that does not resolve would invite clients to
// fetch it. RFC 9457 section 3.1.1 allows any URI; the code inside it never changes once
// published.
//
// HttpStatusFor is the one table from lanyard::Code to HTTP statuses; nothing else in the HTTP
// layer decides a status for an Error.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/http/server.h"
#include "lanyard/json/value.h"

namespace lanyard::http {

// The prefix of every problem type; the stable code follows it.
inline constexpr std::string_view kProblemTypePrefix = "urn:lanyard:problem:";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

struct Problem {
  int status = 500;
  std::string code;      // stable dotted code, e.g. "http.body_too_large"
  std::string title;     // empty: the status's reason phrase
  std::string detail;    // empty: omitted
  std::string instance;  // empty: omitted
  // Further members, in order. A member named like a standard one (type, title, status, detail,
  // instance, code) is ignored, so extras can never contradict the status or the code.
  // REQUIRES: strings inside them are UTF-8 (repair client text with ValidUtf8Text first).
  json::Object extra;
};

// The response for `problem`: its status, content type application/problem+json, and the JSON
// body described above. Text that is not UTF-8 is repaired (U+FFFD) rather than refused, since
// a detail may quote a client's bytes.
ServerResponse ProblemResponse(const Problem& problem);
ServerResponse ProblemResponse(int status, std::string_view code, std::string_view title,
                               std::string_view detail);

// The HTTP status for an error class: InvalidArgument 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, AlreadyExists and FailedPrecondition 409,
// ResourceExhausted 429, DataLoss and Internal 500, Unavailable 503. Unknown values give 500.
int HttpStatusFor(Code code);

// The problem for `error`: status from HttpStatusFor, code error.reason (or "internal" style
// CodeName when the reason is empty), detail error.message, title from the status.
ServerResponse ProblemFromError(const Error& error);

// The reason phrase of a status ("Not Found"); for a status without one, the class's
// ("Client Error", "Server Error", ...).
std::string_view StatusTitle(int status);

// `text` with every byte sequence that is not strict UTF-8 replaced by U+FFFD: what the HTTP
// layer does to client-supplied text before it goes into JSON (problem details, logs).
std::string ValidUtf8Text(std::string_view text);

}  // namespace lanyard::http
