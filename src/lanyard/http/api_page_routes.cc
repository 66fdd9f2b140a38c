// The web pages' routes: the public start page and privacy notice, the built assets, and the
// pages everyone signs in, sets up an authenticator, signs up and signs out with. Each
// journey's pages are in web_*_pages.cc.
// Pages are part of the route table like every other route, so the OpenAPI document and the
// authorisation test cover them too.
#include "lanyard/http/api.h"
#include "lanyard/http/problem.h"
#include "lanyard/http/web_util.h"

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

using service::Principal;
using service::RoleSet;
using Kind = FieldView::Kind;

// The words a sign-in page shows for an account error: one message for a wrong email or
// password, so the form reveals nobody's account.
std::string SignInMessage(const Error& e) {
  if (e.reason == "auth.rate_limited") {
    return "There have been too many attempts to sign in from here. Wait a few minutes and try "
           "again.";
  }
  if (e.reason == "auth.locked") {
    return "This account is locked after too many failed attempts. Try again later, or ask your "
           "organisation's administrator.";
  }
  if (e.reason == "auth.disabled") return "This account is disabled. Ask your administrator.";
  return "Enter a correct email address and password";
}

std::string CodeMessage(const Error& e) {
  if (e.reason == "auth.rate_limited") return "Too many attempts. Wait a few minutes and try again";
  return "Enter the 6-digit code your authenticator app shows now";
}

// The set-up key of an otpauth:// URI (its secret parameter), for people who type it in.
std::string OtpauthSecret(std::string_view uri) {
  size_t at = uri.find("secret=");
  if (at == std::string_view::npos) return "";
  std::string_view rest = uri.substr(at + 7);
  return std::string(rest.substr(0, rest.find('&')));
}

json::Value Fields(std::initializer_list<FieldView> fields) {
  json::Array out;
  for (const auto& f : fields) out.push_back(f.ToJson());
  return json::Value(std::move(out));
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
  AddAuthPages();
  AddStaffPages();
  AddIssuerPages();
  AddReceivingPages();
  AddAdminPages();
}

void Api::AddAuthPages() {
  const ApiServices& s = s_;
  AddPage("GET", "/home", "getHomePage", "Where a signed-in person starts", RoleSet{},
          [](RequestContext& ctx) -> Result<ServerResponse> {
            return SeeOther(HomeFor(ctx.principal));
          });

  auto sign_in_form = [this](RequestContext& ctx, const std::string& email,
                             const FormErrors& errors, int status) {
    FieldView e = Input("email", "Email address", "email");
    e.value = email;
    e.autocomplete = "username";
    e.error = errors.For("email");
    FieldView p = Input("password", "Password", "password");
    p.autocomplete = "current-password";
    p.error = errors.For("password");
    json::Value context = json::Object{};
    context.Set("fields", Fields({e, p}));
    std::string next = ctx.form.Has("next") ? ctx.form.Get("next") : ctx.Query("next");
    context.Set("next", SafeNext(next));
    return Page(ctx, "sign_in", "Sign in", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/sign-in", "getSignInPage", "The sign-in form", std::nullopt,
          [sign_in_form](RequestContext& ctx) -> Result<ServerResponse> {
            return sign_in_form(ctx, "", FormErrors(), 200);
          });
  AddPage(
      "POST", "/sign-in", "signInWithForm", "Sign in from the form", std::nullopt,
      [&s, sign_in_form](RequestContext& ctx) -> Result<ServerResponse> {
        std::string email = ctx.form.Get("email");
        std::string password = ctx.form.Get("password");
        FormErrors errors;
        if (email.empty()) errors.Add("email", "Enter your email address");
        if (password.empty()) errors.Add("password", "Enter your password");
        if (!errors.empty()) return sign_in_form(ctx, email, errors, 400);
        auto login = s.accounts->Login(email, password, ctx.request.remote_address);
        if (!login.ok()) {
          if (login.error().code == Code::kInternal || login.error().code == Code::kUnavailable) {
            return login.error();
          }
          errors.Add("email", SignInMessage(login.error()));
          return sign_in_form(ctx, email, errors, 401);
        }
        std::string next = SafeNext(ctx.form.Get("next"));
        ServerResponse r =
            SeeOther(login->totp_enrolment_required  ? "/sign-in/authenticator"
                     : login->second_factor_required ? "/sign-in/code?next=" + FormEncode(next)
                                                     : next);
        r.headers.push_back({"Set-Cookie", SessionCookie(login->session_token,
                                                         s.accounts->options().session_lifetime)});
        return r;
      });

  auto code_form = [this](RequestContext& ctx, const FormErrors& errors, int status) {
    FieldView c = Input("code", "Code", "text");
    c.width = "4";
    c.autocomplete = "one-time-code";
    c.hint = "For example, 123456";
    c.error = errors.For("code");
    json::Value context = json::Object{};
    context.Set("fields", Fields({c}));
    context.Set("action", "/sign-in/code?next=" + FormEncode(SafeNext(ctx.Query("next"))));
    return Page(ctx, "sign_in_code", "Enter your code", WithErrors(std::move(context), errors),
                status);
  };
  AddPage(
      "GET", "/sign-in/code", "getSecondFactorPage", "The authenticator code form", RoleSet{},
      [&s, code_form](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, s.store->GetUser(ctx.principal.id));
        if (!user.totp_enrolled) return SeeOther("/sign-in/authenticator");
        return code_form(ctx, FormErrors(), 200);
      },
      true);
  AddPage(
      "POST", "/sign-in/code", "completeSecondFactorWithForm", "Finish signing in with a code",
      RoleSet{},
      [&s, code_form](RequestContext& ctx) -> Result<ServerResponse> {
        auto cookie = ctx.request.Header("cookie");
        auto done = s.accounts->CompleteSecondFactor(
            cookie ? CookieValue(*cookie, kSessionCookie) : "", ctx.form.Get("code"));
        if (!done.ok()) {
          FormErrors errors;
          errors.Add("code", CodeMessage(done.error()));
          return code_form(ctx, errors, 401);
        }
        return SeeOther(SafeNext(ctx.Query("next")));
      },
      true);

  // Enrolment: on sign-in for organisation users (required), from the account page for staff.
  auto enrol_form = [this, &s](RequestContext& ctx, std::string_view action,
                               const FormErrors& errors, int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(std::string uri, s.accounts->BeginTotpEnrolment(ctx.principal));
    LANYARD_ASSIGN_OR_RETURN(json::Value qr, QrCode(uri));
    FieldView c = Input("code", "Code from the app", "text");
    c.width = "4";
    c.autocomplete = "one-time-code";
    c.error = errors.For("code");
    json::Value context = json::Object{};
    context.Set("qr", std::move(qr));
    context.Set("secret", OtpauthSecret(uri));
    context.Set("action", std::string(action));
    context.Set("required", action == "/sign-in/authenticator");
    context.Set("fields", Fields({c}));
    return Page(ctx, "authenticator", "Set up your authenticator app",
                WithErrors(std::move(context), errors), status);
  };
  auto confirm = [&s, enrol_form](std::string action, std::string done) {
    return [&s, enrol_form, action, done](RequestContext& ctx) -> Result<ServerResponse> {
      auto confirmed = s.accounts->ConfirmTotpEnrolment(ctx.principal, ctx.form.Get("code"));
      if (!confirmed.ok()) {
        if (confirmed.error().reason == "totp.already_enrolled") return SeeOther(done);
        FormErrors errors;
        errors.Add("code", "Enter the 6-digit code the app shows after you scan the new QR code");
        return enrol_form(ctx, action, errors, 400);
      }
      return SeeOther(done);
    };
  };
  auto show = [&s, enrol_form](std::string action, std::string done) {
    return [&s, enrol_form, action, done](RequestContext& ctx) -> Result<ServerResponse> {
      LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, s.store->GetUser(ctx.principal.id));
      if (user.totp_enrolled) return SeeOther(done);
      return enrol_form(ctx, action, FormErrors(), 200);
    };
  };
  AddPage("GET", "/sign-in/authenticator", "getAuthenticatorSetUpPage",
          "Set up an authenticator app to finish signing in", RoleSet{},
          show("/sign-in/authenticator", "/home"), true);
  AddPage("POST", "/sign-in/authenticator", "confirmAuthenticatorWithForm",
          "Confirm the authenticator app with its first code", RoleSet{},
          confirm("/sign-in/authenticator", "/home"), true);
  AddPage("GET", "/account/authenticator", "getAccountAuthenticatorPage",
          "Set up an authenticator app for a staff account", RoleSet{},
          show("/account/authenticator", "/account"));
  AddPage("POST", "/account/authenticator", "confirmAccountAuthenticator",
          "Confirm a staff account's authenticator app", RoleSet{},
          confirm("/account/authenticator", "/account"));

  AddPage(
      "POST", "/sign-out", "signOutWithForm", "Sign out", RoleSet{},
      [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
        auto cookie = ctx.request.Header("cookie");
        LANYARD_TRY(s.accounts->Logout(cookie ? CookieValue(*cookie, kSessionCookie) : ""));
        RequestContext anonymous{ctx.request, Principal{}, {}, {}, {}};
        LANYARD_ASSIGN_OR_RETURN(
            ServerResponse r, Page(anonymous, "signed_out", "You have signed out", json::Value()));
        r.headers.push_back({"Set-Cookie", SessionCookie("", std::chrono::seconds(0))});
        return r;
      },
      true);

  auto sign_up_form = [this](RequestContext& ctx, const FormErrors& errors, int status) {
    auto field = [&](std::string name, std::string label, std::string type, std::string auto_) {
      const bool secret = type == "password";
      FieldView f = Input(name, std::move(label), std::move(type));
      f.autocomplete = std::move(auto_);
      if (!secret) f.value = ctx.form.Get(name);
      f.error = errors.For(name);
      return f;
    };
    FieldView code = field("invitation", "Invitation code", "text", "off");
    code.hint = "It starts with lyi_ and is in the email or letter from your employer";
    FieldView password = field("password", "Create a password", "password", "new-password");
    password.hint = "At least 12 characters. A few unrelated words make a strong password";
    json::Value context = json::Object{};
    context.Set("fields", Fields({code, field("display_name", "Full name", "text", "name"),
                                  field("email", "Email address", "email", "email"), password}));
    return Page(ctx, "sign_up", "Create your account", WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/sign-up", "getSignUpPage", "Create a staff passport account", std::nullopt,
          [sign_up_form](RequestContext& ctx) -> Result<ServerResponse> {
            return sign_up_form(ctx, FormErrors(), 200);
          });
  AddPage(
      "POST", "/sign-up", "signUpWithForm", "Create a staff passport account from the form",
      std::nullopt, [&s, sign_up_form](RequestContext& ctx) -> Result<ServerResponse> {
        FormErrors errors;
        const std::string code = ctx.form.Get("invitation");
        const std::string name = ctx.form.Get("display_name");
        const std::string email = ctx.form.Get("email");
        const std::string password = ctx.form.Get("password");
        if (code.empty()) errors.Add("invitation", "Enter your invitation code");
        if (name.empty()) errors.Add("display_name", "Enter your full name");
        if (email.empty()) errors.Add("email", "Enter your email address");
        if (password.empty()) errors.Add("password", "Create a password");
        if (!errors.empty()) return sign_up_form(ctx, errors, 400);
        auto user = s.accounts->SignUp(code, email, name, password);
        if (!user.ok()) {
          const Error& e = user.error();
          if (e.reason == "invitation.invalid") {
            errors.Add("invitation",
                       "This invitation code is not valid: it may be mistyped, used or more than "
                       "14 days old. Ask your employer for a new one");
          } else if (e.reason.starts_with("password.")) {
            errors.Add("password", e.message);
          } else if (e.reason == "account.exists") {
            errors.Add("email",
                       "There is already an account with this email address. Sign in "
                       "instead, and add the code on your account page");
          } else if (e.reason == "account.invalid") {
            errors.Add("email", e.message);
          } else {
            return e;
          }
          return sign_up_form(ctx, errors, 400);
        }
        auto login = s.accounts->Login(email, password, ctx.request.remote_address);
        if (!login.ok()) return SeeOther("/sign-in");
        ServerResponse r = SeeOther("/passport");
        r.headers.push_back({"Set-Cookie", SessionCookie(login->session_token,
                                                         s.accounts->options().session_lifetime)});
        return r;
      });

  auto account_page = [this, &s](RequestContext& ctx, const FormErrors& errors, std::string notice,
                                 int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, s.store->GetUser(ctx.principal.id));
    json::Value context = json::Object{};
    context.Set("email", user.email);
    context.Set("roles", user.roles);
    context.Set("totp", user.totp_enrolled);
    context.Set("staff", ctx.principal.roles.Has(service::Role::kStaff));
    if (!notice.empty()) context.Set("notice", notice);
    FieldView code = Input("invitation", "Invitation code");
    code.autocomplete = "off";
    code.error = errors.For("invitation");
    context.Set("fields", Fields({code}));
    return Page(ctx, "account", "Your account", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/account", "getAccountPage", "Your account", RoleSet{},
          [account_page](RequestContext& ctx) -> Result<ServerResponse> {
            return account_page(ctx, FormErrors(), "", 200);
          });
  AddPage("POST", "/account/invitations", "acceptInvitationWithForm",
          "A staff member adds another organisation's invitation", RoleSet{service::Role::kStaff},
          [&s, account_page](RequestContext& ctx) -> Result<ServerResponse> {
            auto accepted = s.accounts->AcceptInvitation(ctx.principal, ctx.form.Get("invitation"));
            FormErrors errors;
            if (!accepted.ok()) {
              if (accepted.error().code != Code::kNotFound &&
                  accepted.error().code != Code::kInvalidArgument) {
                return accepted.error();
              }
              errors.Add("invitation",
                         "This invitation code is not valid: it may be mistyped, "
                         "used or more than 14 days old");
              return account_page(ctx, errors, "", 400);
            }
            return account_page(ctx, errors,
                                "Invitation added. The organisation can now issue "
                                "credentials to your passport.",
                                200);
          });
}

}  // namespace lanyard::http
