// The web pages' routes: the public start page and privacy notice, and the built assets.
// Pages are part of the route table like every other route, so the OpenAPI document and the
// authorisation test cover them too.
#include "lanyard/http/api.h"
#include "lanyard/http/problem.h"

namespace lanyard::http {
namespace {

// Retention as docs/data-protection.md sets it, in the words the privacy notice uses.
json::Value RetentionRows() {
  static const std::pair<const char*, const char*> kRows[] = {
      {"Credentials in your passport",
       "While you have an account. You can export them at any time."},
      {"An issuing organisation's record of a credential it issued",
       "6 years after the credential expires or is revoked"},
      {"Share requests, what you shared, and readiness reports",
       "6 years after the start date, or 1 year after you withdraw consent"},
      {"Names, reasons and addresses in the record of who did what", "6 years"},
      {"Sessions", "12 hours at most, 30 minutes when idle"},
      {"Unused invitations", "14 days"},
  };
  json::Array rows;
  for (const auto& [record, period] : kRows) {
    rows.push_back(json::Value(
        json::Object{{"record", json::Value(record)}, {"period", json::Value(period)}}));
  }
  return json::Value(std::move(rows));
}

}  // namespace

void Api::AddPageRoutes() {
  auto page = [this](std::string name, json::Value context) {
    return [this, name, context](RequestContext&) -> Result<ServerResponse> {
      if (!pages_.ok()) return pages_.error();
      return pages_->Render(name, context, /*cacheable=*/true);
    };
  };
  AddRoute("GET", "/", "getStartPage", "The start page: what the service is, and signing in",
           "pages", Access::kPublic, {},
           page("start", json::Value(json::Object{{"title", json::Value("Your staff passport")}})));
  AddRoute("GET", "/privacy", "getPrivacyNotice",
           "The privacy notice: what is kept, why, and for how long", "pages", Access::kPublic, {},
           page("privacy", json::Value(json::Object{{"title", json::Value("Privacy notice")},
                                                    {"retention", RetentionRows()}})));
  AddRoute("GET", "/assets/{file}", "getAsset", "A built stylesheet, script, font or image",
           "pages", Access::kPublic, {}, [this](RequestContext& ctx) -> Result<ServerResponse> {
             return ServeAsset(s_.web_root, ctx.params.Get("file"), ctx.request);
           });
}

}  // namespace lanyard::http
