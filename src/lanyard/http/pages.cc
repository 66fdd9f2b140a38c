#include "lanyard/http/pages.h"

#include <filesystem>
#include <fstream>
#include <span>

#include "lanyard/core/embedded_files.h"
#include "lanyard/http/problem.h"

namespace lanyard::http {

std::span<const EmbeddedFile> EmbeddedWebTemplates();

namespace {

constexpr size_t kMaxAssetBytes = 8 << 20;

void AddPageHeaders(ServerResponse& r, bool cacheable) {
  r.headers.push_back({"Content-Security-Policy", std::string(kPageSecurityPolicy)});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Referrer-Policy", "no-referrer"});
  r.headers.push_back({"X-Frame-Options", "DENY"});
  r.headers.push_back({"Cache-Control", cacheable ? "public, max-age=300" : "no-store"});
}

ServerResponse NotFound() {
  return ProblemResponse(404, "http.not_found", "Not found", "there is no such file");
}

std::string_view ContentType(std::string_view ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".ico") return "image/x-icon";
  return {};
}

bool ReadSmallFile(const std::filesystem::path& path, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxAssetBytes) return false;
  std::ifstream in(path, std::ios::binary);
  out->assign(static_cast<size_t>(size), '\0');
  in.read(out->data(), static_cast<std::streamsize>(size));
  return static_cast<size_t>(in.gcount()) == size;
}

}  // namespace

Result<Pages> Pages::Load() {
  Pages pages;
  for (const EmbeddedFile& file : EmbeddedWebTemplates()) {
    std::string_view name = file.path;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".html") name.remove_suffix(5);
    LANYARD_ASSIGN_OR_RETURN(Template t, Template::Parse(file.text, file.path));
    pages.templates_.emplace(std::string(name), std::move(t));
  }
  return pages;
}

Result<ServerResponse> Pages::Render(std::string_view page, const json::Value& context,
                                     bool cacheable) const {
  auto it = templates_.find(page);
  if (it == templates_.end()) {
    return MakeError(Code::kInvalidArgument, "template.invalid",
                     "no page \"" + std::string(page) + "\"");
  }
  auto partials = [this](std::string_view name) -> const Template* {
    auto p = templates_.find(name);
    return p == templates_.end() ? nullptr : &p->second;
  };
  LANYARD_ASSIGN_OR_RETURN(std::string html, it->second.Render(context, partials));
  ServerResponse r;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  AddPageHeaders(r, cacheable);
  return r;
}

ServerResponse ServeAsset(const std::string& web_root, std::string_view file,
                          const ServerRequest& request) {
  if (web_root.empty() || file.empty() || file.size() > 100 || file.front() == '.') {
    return NotFound();
  }
  for (char c : file) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return NotFound();
  }
  const std::string_view ext = file.substr(std::min(file.rfind('.'), file.size()));
  const std::string_view type = ContentType(ext);
  if (type.empty()) return NotFound();
  const std::filesystem::path path = std::filesystem::path(web_root) / std::string(file);
  ServerResponse r;
  r.status = 200;
  r.content_type = std::string(type);
  auto accept = request.Header("accept-encoding");
  const bool gzip_ok = accept && accept->find("gzip") != std::string_view::npos;
  if (gzip_ok && ReadSmallFile(path.string() + ".gz", &r.body)) {
    r.headers.push_back({"Content-Encoding", "gzip"});
  } else if (!ReadSmallFile(path, &r.body)) {
    return NotFound();
  }
  r.headers.push_back({"Vary", "Accept-Encoding"});
  r.headers.push_back({"Cache-Control", "public, max-age=86400"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

}  // namespace lanyard::http
