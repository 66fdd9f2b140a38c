#include "lanyard/http/api.h"
#include "lanyard/http/web_util.h"

namespace lanyard::http {

void Api::AddIssuerPages() {}

}  // namespace lanyard::http
