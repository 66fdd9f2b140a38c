#include "lanyard/core/result.h"

namespace lanyard {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kResourceExhausted:
      return "resource_exhausted";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kDataLoss:
      return "data_loss";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Error::ToString() const {
  std::string out(CodeName(code));
  if (!reason.empty()) out += " (" + reason + ")";
  out += ": " + message;
  return out;
}

Error MakeError(Code code, std::string reason, std::string message) {
  return Error{code, std::move(reason), std::move(message)};
}

}  // namespace lanyard
