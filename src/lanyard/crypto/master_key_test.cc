#include "lanyard/crypto/master_key.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "lanyard/testing/matchers.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::MatchesRegex;

constexpr char kKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// A fresh directory under the test temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string base = ::testing::TempDir();
    if (base.empty() || base.back() != '/') base += '/';
    std::string templ = base + "lanyard-masterkey-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << templ;
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An environment made of a map, so tests never touch the real one.
EnvironmentLookup Env(std::map<std::string, std::string> vars = {}) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

void WriteFile(const std::string& path, const std::string& contents, mode_t mode) {
  std::ofstream(path, std::ios::binary) << contents;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Whether `a` opens what `b` sealed: the keys are the same.
bool SameKey(const SecretKey& a, const SecretKey& b) {
  return Open(a, Seal(b, AsBytes("probe"), {}), {}).ok();
}

class MasterKeyTest : public ::testing::Test {
 protected:
  std::string KeyPath() const { return MasterKeyFileFor(dir_.path() + "/lanyard.db"); }
  TempDir dir_;
};

TEST(MasterKeyFileFor, AppendsTheSuffixToTheDatabasePath) {
  EXPECT_EQ(MasterKeyFileFor("/var/lib/lanyard/lanyard.db"),
            "/var/lib/lanyard/lanyard.db.master-key");
}

TEST_F(MasterKeyTest, CreatesAPrivateKeyFileOnFirstUse) {
  auto created = LoadOrCreateMasterKey(KeyPath(), Env());
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->origin, KeyPath());
  struct stat st;
  ASSERT_EQ(::lstat(KeyPath().c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_THAT(ReadFile(KeyPath()), MatchesRegex("[0-9a-f]{64}\n"));
  // No temporary file is left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);

  auto loaded = LoadOrCreateMasterKey(KeyPath(), Env());
  ASSERT_THAT(loaded, IsOk());
  EXPECT_FALSE(loaded->created);
  EXPECT_EQ(loaded->origin, KeyPath());
  EXPECT_TRUE(SameKey(loaded->key, created->key));
}

TEST_F(MasterKeyTest, CreatesADifferentKeyEachTime) {
  auto first = LoadOrCreateMasterKey(KeyPath(), Env());
  ASSERT_THAT(first, IsOk());
  TempDir other;
  auto second = LoadOrCreateMasterKey(MasterKeyFileFor(other.path() + "/db"), Env());
  ASSERT_THAT(second, IsOk());
  EXPECT_FALSE(SameKey(first->key, second->key));
}

TEST_F(MasterKeyTest, ReadsAnExistingFileWithOrWithoutNewline) {
  auto expected = SecretKey::FromHex(kKeyHex);
  ASSERT_THAT(expected, IsOk());
  for (const std::string& contents : {std::string(kKeyHex), std::string(kKeyHex) + "\n"}) {
    WriteFile(KeyPath(), contents, 0600);
    auto loaded = LoadOrCreateMasterKey(KeyPath(), Env());
    ASSERT_THAT(loaded, IsOk());
    EXPECT_FALSE(loaded->created);
    EXPECT_TRUE(SameKey(loaded->key, *expected));
  }
  WriteFile(KeyPath(), kKeyHex, 0400);  // read-only for the owner is fine
  EXPECT_THAT(LoadOrCreateMasterKey(KeyPath(), Env()), IsOk());
}

TEST_F(MasterKeyTest, EnvironmentWinsOverTheFile) {
  auto from_file = LoadOrCreateMasterKey(KeyPath(), Env());
  ASSERT_THAT(from_file, IsOk());
  auto from_env = LoadOrCreateMasterKey(KeyPath(), Env({{"LANYARD_MASTER_KEY", kKeyHex}}));
  ASSERT_THAT(from_env, IsOk());
  EXPECT_FALSE(from_env->created);
  EXPECT_EQ(from_env->origin, "environment");
  auto expected = SecretKey::FromHex(kKeyHex);
  ASSERT_THAT(expected, IsOk());
  EXPECT_TRUE(SameKey(from_env->key, *expected));
  EXPECT_FALSE(SameKey(from_env->key, from_file->key));
}

TEST_F(MasterKeyTest, EnvironmentKeyWritesNoFile) {
  ASSERT_THAT(LoadOrCreateMasterKey(KeyPath(), Env({{"LANYARD_MASTER_KEY", kKeyHex}})), IsOk());
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
}

TEST_F(MasterKeyTest, EmptyVariableCountsAsUnset) {
  auto loaded = LoadOrCreateMasterKey(KeyPath(), Env({{"LANYARD_MASTER_KEY", ""}}));
  ASSERT_THAT(loaded, IsOk());
  EXPECT_TRUE(loaded->created);
}

TEST_F(MasterKeyTest, RefusesABadEnvironmentValue) {
  for (const std::string& bad : {std::string("abc"), std::string(kKeyHex) + "\n",
                                 std::string(kKeyHex).substr(0, 63) + "z"}) {
    EXPECT_THAT(LoadOrCreateMasterKey(KeyPath(), Env({{"LANYARD_MASTER_KEY", bad}})),
                ErrorIs("masterkey.invalid"));
  }
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
}

TEST_F(MasterKeyTest, RefusesMalformedFiles) {
  for (const std::string& bad :
       {std::string(""), std::string("abc\n"), std::string(kKeyHex) + "\n\n",
        std::string(kKeyHex) + "00", std::string(kKeyHex) + "\r\n", " " + std::string(kKeyHex),
        std::string(kKeyHex).substr(0, 63) + "g"}) {
    WriteFile(KeyPath(), bad, 0600);
    EXPECT_THAT(LoadOrCreateMasterKey(KeyPath(), Env()), ErrorIs("masterkey.invalid"));
  }
}

TEST_F(MasterKeyTest, RefusesFilesOthersCanAccess) {
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644, 0660, 0610}) {
    WriteFile(KeyPath(), kKeyHex, mode);
    auto loaded = LoadOrCreateMasterKey(KeyPath(), Env());
    EXPECT_THAT(loaded, ErrorIs("masterkey.insecure_permissions")) << std::oct << mode;
    if (!loaded.ok()) {
      EXPECT_THAT(loaded.error().message, HasSubstr("chmod 600"));
    }
  }
}

TEST_F(MasterKeyTest, RefusesSymbolicLinks) {
  const std::string target = dir_.path() + "/elsewhere";
  WriteFile(target, kKeyHex, 0600);
  ASSERT_EQ(::symlink(target.c_str(), KeyPath().c_str()), 0);
  EXPECT_THAT(LoadOrCreateMasterKey(KeyPath(), Env()), ErrorIs("masterkey.insecure_permissions"));
}

TEST_F(MasterKeyTest, RefusesADirectory) {
  ASSERT_TRUE(std::filesystem::create_directory(KeyPath()));
  ASSERT_EQ(::chmod(KeyPath().c_str(), 0700), 0);
  EXPECT_THAT(LoadOrCreateMasterKey(KeyPath(), Env()), ErrorIs("masterkey.invalid"));
}

TEST_F(MasterKeyTest, ReportsAMissingDirectory) {
  EXPECT_THAT(LoadOrCreateMasterKey(dir_.path() + "/absent/lanyard.db.master-key", Env()),
              ErrorIs("masterkey.io_error"));
}

}  // namespace
}  // namespace lanyard::crypto
