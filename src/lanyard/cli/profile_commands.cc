// Role requirement profiles at the command line: check a profile file, print a profile.
#include <iostream>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/passport/profile.h"

namespace lanyard::cli {
namespace {

// Reads and parses a profile file, named in errors as given on the command line.
Result<passport::Profile> ReadProfile(const std::string& file) {
  // Read with the ordinary bound; the parser refuses anything over its own 64 KiB with the
  // file's name and line 0, as it does every other refusal.
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(file));
  return passport::ParseProfile(text, file == "-" ? "<stdin>" : file);
}

bool IsBuiltInId(const std::string& name) {
  for (std::string_view id : passport::BuiltInProfileIds()) {
    if (id == name) return true;
  }
  return false;
}

}  // namespace

int ProfileValidate(const Environment& env, const std::string& file) {
  auto profile = ReadProfile(file);
  if (!profile.ok()) return Usage(env, profile.error());
  const passport::Profile& p = *profile;
  *env.out << p.id << " version " << p.version << ": " << p.role << " (" << p.staff_group << ", "
           << p.employment_type << ", organisation " << p.organisation
           << "): " << passport::RequirementCount(p) << " requirements\n";
  return kExitOk;
}

int ProfileShow(const Environment& env, const std::string& name_or_file) {
  // A built-in id never contains '/' or '.', so "./registered-nurse" always means the file.
  auto profile = IsBuiltInId(name_or_file) ? passport::BuiltInProfile(name_or_file)
                                           : ReadProfile(name_or_file);
  if (!profile.ok()) {
    if (profile.error().reason == "input.unreadable" &&
        name_or_file.find_first_of("/.") == std::string::npos) {
      // Most likely a misspelt id rather than a missing file: say what is built in.
      return Usage(env, passport::BuiltInProfile(name_or_file).error());
    }
    return Usage(env, profile.error());
  }
  *env.out << passport::WriteProfile(*profile);
  return kExitOk;
}

}  // namespace lanyard::cli
