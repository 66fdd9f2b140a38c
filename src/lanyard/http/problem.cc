#include "lanyard/http/problem.h"

#include <array>
#include <utility>

#include "lanyard/core/utf8.h"
#include "lanyard/json/canonical.h"

namespace lanyard::http {
namespace {

bool IsStandardMember(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kStandard = {"type",   "title",    "status",
                                                                "detail", "instance", "code"};
  for (std::string_view standard : kStandard) {
    if (name == standard) return true;
  }
  return false;
}

}  // namespace

std::string ValidUtf8Text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(text[pos]);
      ++pos;
      continue;
    }
    Utf8Char c = DecodeUtf8(text, pos);
    if (c.error == Utf8Error::kNone) {
      out.append(text.substr(pos, c.length));
      pos += c.length;
    } else {
      // One replacement per offending byte: simple, and never swallows a valid character that
      // follows a truncated sequence.
      AppendUtf8(0xFFFD, &out);
      ++pos;
    }
  }
  return out;
}

std::string_view StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      break;
  }
  if (status >= 100 && status < 200) return "Informational";
  if (status >= 200 && status < 300) return "Success";
  if (status >= 300 && status < 400) return "Redirection";
  if (status >= 400 && status < 500) return "Client Error";
  return "Server Error";
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kFailedPrecondition:
      return 409;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kDataLoss:
      return 500;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

ServerResponse ProblemResponse(const Problem& problem) {
  json::Object body;
  body.emplace_back("type", std::string(kProblemTypePrefix) + ValidUtf8Text(problem.code));
  body.emplace_back("title", problem.title.empty() ? std::string(StatusTitle(problem.status))
                                                   : ValidUtf8Text(problem.title));
  body.emplace_back("status", problem.status);
  if (!problem.detail.empty()) body.emplace_back("detail", ValidUtf8Text(problem.detail));
  if (!problem.instance.empty()) body.emplace_back("instance", ValidUtf8Text(problem.instance));
  body.emplace_back("code", ValidUtf8Text(problem.code));
  json::Value value(std::move(body));
  for (const json::Member& member : problem.extra) {
    if (IsStandardMember(member.first) || value.Find(member.first) != nullptr) continue;
    value.Set(ValidUtf8Text(member.first), member.second);
  }
  ServerResponse response;
  response.status = problem.status;
  response.content_type = std::string(kProblemContentType);
  response.body = json::Serialize(value);
  return response;
}

ServerResponse ProblemResponse(int status, std::string_view code, std::string_view title,
                               std::string_view detail) {
  Problem problem;
  problem.status = status;
  problem.code = std::string(code);
  problem.title = std::string(title);
  problem.detail = std::string(detail);
  return ProblemResponse(problem);
}

ServerResponse ProblemFromError(const Error& error) {
  int status = HttpStatusFor(error.code);
  std::string code = error.reason.empty() ? std::string(CodeName(error.code)) : error.reason;
  return ProblemResponse(status, code, "", error.message);
}

}  // namespace lanyard::http
