#include "lanyard/crypto/key_store.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::MatchesRegex;

// Argon2id at its cheapest: these tests are about the store, not the KDF's cost.
constexpr FileKeyStoreOptions kCheapKdf{.opslimit = 1, .memlimit = 8 * 1024};
constexpr char kMasterKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

KeyStoreSecret Passphrase(std::string text) {
  return KeyStoreSecret{KeyStoreSecret::Kind::kPassphrase, std::move(text)};
}
KeyStoreSecret MasterKey(std::string hex) {
  return KeyStoreSecret{KeyStoreSecret::Kind::kMasterKey, std::move(hex)};
}

// A fresh directory under the test temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string base = ::testing::TempDir();
    if (base.empty() || base.back() != '/') base += '/';
    std::string templ = base + "lanyard-keystore-XXXXXX";
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

json::Value ReadJson(const std::string& path) {
  auto v = json::Parse(ReadFile(path));
  EXPECT_THAT(v, IsOk()) << path;
  return v.ok() ? std::move(v).value() : json::Value();
}

void WriteJson(const std::string& path, const json::Value& v) {
  WriteFile(path, json::Serialize(v, 2));
}

int ModeOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Signs with the store's signer for `info` and checks the signature against info's public key.
void ExpectSignsAndVerifies(const KeyStore& store, const KeyInfo& info) {
  auto signer = store.GetSigner(info.id);
  ASSERT_THAT(signer, IsOk());
  EXPECT_EQ((*signer)->public_key(), info.public_key);
  const Bytes message = ToBytes("a staff passport for " + info.label);
  auto signature = (*signer)->Sign(message);
  ASSERT_THAT(signature, IsOk());
  EXPECT_TRUE(info.public_key.Verify(message, *signature));
  EXPECT_FALSE(info.public_key.Verify(ToBytes("something else"), *signature));
}

// ----- The contract every store keeps ------------------------------------------------------------

enum class StoreKind { kMemory, kFile };

class KeyStoreContract : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kMemory) {
      store_ = NewMemoryKeyStore();
      return;
    }
    auto store = OpenFileKeyStore(dir_.path() + "/keys", Passphrase("correct horse"), kCheapKdf);
    ASSERT_THAT(store, IsOk());
    store_ = std::move(store).value();
  }

  TempDir dir_;
  std::unique_ptr<KeyStore> store_;
};

INSTANTIATE_TEST_SUITE_P(KeyStore, KeyStoreContract,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kFile),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param == StoreKind::kMemory ? "Memory" : "File";
                         });

TEST_P(KeyStoreContract, GeneratesKeysThatSign) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kP256}) {
    SCOPED_TRACE(KeyTypeName(type));
    auto info = store_->Generate(type, "issuer key");
    ASSERT_THAT(info, IsOk());
    EXPECT_THAT(info->id, MatchesRegex("[A-Za-z0-9_-]{22}"));
    EXPECT_EQ(info->type, type);
    EXPECT_EQ(info->public_key.type(), type);
    EXPECT_EQ(info->label, "issuer key");
    auto got = store_->Get(info->id);
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(*got, *info);
    ExpectSignsAndVerifies(*store_, *info);
  }
}

TEST_P(KeyStoreContract, ImportKeepsItsOwnCopy) {
  std::optional<KeyInfo> info;
  std::optional<PublicKey> original_public;
  {
    auto key = PrivateKey::Generate(KeyType::kP256);
    ASSERT_THAT(key, IsOk());
    original_public = key->public_key();
    auto imported = store_->Import(*key, "migrated from a JWK file");
    ASSERT_THAT(imported, IsOk());
    info = *imported;
  }  // the caller's key is gone; the store's copy must not be
  EXPECT_EQ(info->public_key, *original_public);
  EXPECT_EQ(info->type, KeyType::kP256);
  ExpectSignsAndVerifies(*store_, *info);
}

TEST_P(KeyStoreContract, ListsEveryKeySortedById) {
  std::vector<KeyInfo> made;
  for (int i = 0; i < 3; ++i) {
    auto info =
        store_->Generate(i == 1 ? KeyType::kP256 : KeyType::kEd25519, "key " + std::to_string(i));
    ASSERT_THAT(info, IsOk());
    made.push_back(*info);
  }
  std::sort(made.begin(), made.end(),
            [](const KeyInfo& a, const KeyInfo& b) { return a.id < b.id; });
  auto listed = store_->List();
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(*listed, made);
}

TEST_P(KeyStoreContract, UnknownIdIsNotFound) {
  EXPECT_THAT(store_->Get("AAAAAAAAAAAAAAAAAAAAAA"), ErrorIs("keystore.not_found"));
  EXPECT_THAT(store_->GetSigner("AAAAAAAAAAAAAAAAAAAAAA"), ErrorIs("keystore.not_found"));
  EXPECT_THAT(store_->Get(std::string(kMaxKeyIdLength, 'a')), ErrorIs("keystore.not_found"));
}

TEST_P(KeyStoreContract, RefusesIdsThatAreNotSafeFileNames) {
  const std::vector<std::string> ids = {"../x",
                                        "",
                                        "a/b",
                                        "a.b",
                                        "keystore.json",
                                        std::string("x\0y", 3),
                                        std::string(kMaxKeyIdLength + 1, 'a')};
  for (const std::string& id : ids) {
    SCOPED_TRACE(id);
    EXPECT_THAT(store_->Get(id), ErrorIs("keystore.invalid_id"));
    EXPECT_THAT(store_->GetSigner(id), ErrorIs("keystore.invalid_id"));
  }
}

TEST_P(KeyStoreContract, RefusesLabelsThatAreNotShortUtf8) {
  EXPECT_THAT(store_->Generate(KeyType::kEd25519, "caf\xe9"), ErrorIs("keystore.invalid_label"));
  EXPECT_THAT(store_->Generate(KeyType::kEd25519, std::string(kMaxKeyLabelBytes + 1, 'x')),
              ErrorIs("keystore.invalid_label"));
  EXPECT_THAT(store_->Generate(KeyType::kEd25519, std::string(kMaxKeyLabelBytes, 'x')), IsOk());
  EXPECT_THAT(store_->Generate(KeyType::kEd25519, "caf\u00e9 \"quoted\"\n"), IsOk());
  EXPECT_THAT(store_->Generate(KeyType::kEd25519, ""), IsOk());
}

TEST_P(KeyStoreContract, SignerOutlivesTheStore) {
  auto info = store_->Generate(KeyType::kEd25519, "");
  ASSERT_THAT(info, IsOk());
  auto signer = store_->GetSigner(info->id);
  ASSERT_THAT(signer, IsOk());
  store_.reset();
  auto signature = (*signer)->Sign(ToBytes("late"));
  ASSERT_THAT(signature, IsOk());
  EXPECT_TRUE(info->public_key.Verify(ToBytes("late"), *signature));
}

TEST_P(KeyStoreContract, IsSafeFromManyThreads) {
  auto shared = store_->Generate(KeyType::kEd25519, "shared");
  ASSERT_THAT(shared, IsOk());
  constexpr int kThreads = 4;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto own = store_->Generate(t % 2 == 0 ? KeyType::kEd25519 : KeyType::kP256, "own");
      if (!own.ok()) {
        ++failures[t];
        return;
      }
      for (int i = 0; i < 10; ++i) {
        for (const KeyInfo* info : {&*shared, &*own}) {
          auto signer = store_->GetSigner(info->id);
          const Bytes message = ToBytes("message " + std::to_string(i));
          auto signature = signer.ok() ? (*signer)->Sign(message) : Result<Bytes>(signer.error());
          if (!signature.ok() || !info->public_key.Verify(message, *signature)) ++failures[t];
        }
        if (!store_->List().ok()) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
  auto listed = store_->List();
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), kThreads + 1u);
}

// ----- The file store ----------------------------------------------------------------------------

class KeyStoreFile : public ::testing::Test {
 protected:
  std::string Dir() const { return dir_.path() + "/keys"; }
  std::string KeyPath(const std::string& id) const { return Dir() + "/" + id + ".key.json"; }

  std::unique_ptr<KeyStore> Open(const KeyStoreSecret& secret) {
    auto store = OpenFileKeyStore(Dir(), secret, kCheapKdf);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
};

TEST_F(KeyStoreFile, ReopenedStoreSignsWithTheSameKeys) {
  std::vector<KeyInfo> made;
  {
    auto store = Open(Passphrase("correct horse battery staple"));
    ASSERT_NE(store, nullptr);
    for (KeyType type : {KeyType::kEd25519, KeyType::kP256}) {
      auto info = store->Generate(type, std::string(KeyTypeName(type)));
      ASSERT_THAT(info, IsOk());
      made.push_back(*info);
    }
  }
  auto store = Open(Passphrase("correct horse battery staple"));
  ASSERT_NE(store, nullptr);
  for (const KeyInfo& info : made) {
    SCOPED_TRACE(info.label);
    auto got = store->Get(info.id);
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(*got, info);
    ExpectSignsAndVerifies(*store, info);
  }
  auto listed = store->List();
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), 2u);
}

TEST_F(KeyStoreFile, RefusesAWrongPassphraseAtOpen) {
  {
    auto store = Open(Passphrase("correct horse"));
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->Generate(KeyType::kEd25519, ""), IsOk());
  }
  auto wrong = OpenFileKeyStore(Dir(), Passphrase("incorrect horse"), kCheapKdf);
  EXPECT_THAT(wrong, ErrorIs("keystore.wrong_passphrase"));
  if (!wrong.ok()) {
    EXPECT_EQ(wrong.error().code, Code::kPermissionDenied);
  }
}

TEST_F(KeyStoreFile, UsesInteractiveArgon2idByDefault) {
  {
    auto store = OpenFileKeyStore(Dir(), Passphrase("pass"));
    ASSERT_THAT(store, IsOk());
  }
  json::Value header = ReadJson(Dir() + "/keystore.json");
  const json::Value* kdf = header.Find("kdf");
  ASSERT_NE(kdf, nullptr);
  EXPECT_EQ(*kdf->FindString("alg"), "argon2id13");
  EXPECT_EQ(kdf->Find("opslimit")->as_number(), crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(kdf->Find("memlimit")->as_number(), crypto_pwhash_MEMLIMIT_INTERACTIVE);
  auto salt = Base64UrlDecode(*kdf->FindString("salt"));
  ASSERT_THAT(salt, IsOk());
  EXPECT_EQ(salt->size(), 16u);
  // An existing store keeps its recorded limits whatever options a later open passes.
  EXPECT_THAT(OpenFileKeyStore(Dir(), Passphrase("pass"), kCheapKdf), IsOk());
}

TEST_F(KeyStoreFile, MasterKeyStoreRoundTrips) {
  std::optional<KeyInfo> made;
  {
    auto store = Open(MasterKey(kMasterKeyHex));
    ASSERT_NE(store, nullptr);
    auto info = store->Generate(KeyType::kP256, "server");
    ASSERT_THAT(info, IsOk());
    made = *info;
  }
  json::Value header = ReadJson(Dir() + "/keystore.json");
  EXPECT_EQ(json::Serialize(*header.Find("kdf")), R"({"alg":"master-key"})");
  auto store = Open(MasterKey(kMasterKeyHex));
  ASSERT_NE(store, nullptr);
  ExpectSignsAndVerifies(*store, *made);

  std::string other(kMasterKeyHex);
  other.back() = '0';
  EXPECT_THAT(OpenFileKeyStore(Dir(), MasterKey(other)), ErrorIs("keystore.wrong_passphrase"));
}

TEST_F(KeyStoreFile, RefusesTheWrongKindOfSecret) {
  ASSERT_NE(Open(Passphrase("pass")), nullptr);
  EXPECT_THAT(OpenFileKeyStore(Dir(), MasterKey(kMasterKeyHex)),
              ErrorIs("keystore.wrong_secret_kind"));

  const std::string master_dir = dir_.path() + "/master";
  ASSERT_THAT(OpenFileKeyStore(master_dir, MasterKey(kMasterKeyHex)), IsOk());
  EXPECT_THAT(OpenFileKeyStore(master_dir, Passphrase(kMasterKeyHex), kCheapKdf),
              ErrorIs("keystore.wrong_secret_kind"));
}

TEST_F(KeyStoreFile, RefusesUnusableSecretsAndOptions) {
  EXPECT_THAT(OpenFileKeyStore(Dir(), Passphrase("")), ErrorIs("keystore.invalid_secret"));
  EXPECT_THAT(OpenFileKeyStore(Dir(), MasterKey("abcd")), ErrorIs("keystore.invalid_secret"));
  EXPECT_THAT(OpenFileKeyStore(Dir(), MasterKey(std::string(64, 'g'))),
              ErrorIs("keystore.invalid_secret"));
  EXPECT_THAT(OpenFileKeyStore(Dir(), Passphrase("p"), {.opslimit = 0, .memlimit = 8192}),
              ErrorIs("keystore.invalid_options"));
  EXPECT_THAT(OpenFileKeyStore(Dir(), Passphrase("p"), {.opslimit = 1, .memlimit = 1024}),
              ErrorIs("keystore.invalid_options"));
  // Nothing was created by the refused opens.
  EXPECT_FALSE(std::filesystem::exists(Dir()));
}

TEST_F(KeyStoreFile, KeepsTheDirectoryAndFilesPrivate) {
  const std::string nested = dir_.path() + "/a/b/keys";
  auto store = OpenFileKeyStore(nested, Passphrase("pass"), kCheapKdf);
  ASSERT_THAT(store, IsOk());
  auto info = (*store)->Generate(KeyType::kEd25519, "");
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(ModeOf(nested), 0700);
  EXPECT_EQ(ModeOf(dir_.path() + "/a"), 0700);
  EXPECT_EQ(ModeOf(nested + "/keystore.json"), 0600);
  EXPECT_EQ(ModeOf(nested + "/" + info->id + ".key.json"), 0600);
  // No temporary files are left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(nested)) ++entries;
  EXPECT_EQ(entries, 2);
}

TEST_F(KeyStoreFile, KeyFileHoldsNoPlaintextSecret) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kP256}) {
    SCOPED_TRACE(KeyTypeName(type));
    auto store = Open(Passphrase("pass"));
    ASSERT_NE(store, nullptr);
    auto key = PrivateKey::Generate(type);
    ASSERT_THAT(key, IsOk());
    auto info = store->Import(*key, "imported");
    ASSERT_THAT(info, IsOk());
    const std::string file = ReadFile(KeyPath(info->id));
    ASSERT_FALSE(file.empty());
    const Bytes secret = key->ExportSecret();
    EXPECT_EQ(file.find(AsChars(secret)), std::string::npos);
    EXPECT_EQ(file.find(Base64UrlEncode(secret)), std::string::npos);
    EXPECT_EQ(file.find(HexEncode(secret)), std::string::npos);
    EXPECT_EQ(file.find(Base58btcEncode(secret)), std::string::npos);
    // Only the public key is in the clear.
    json::Value doc = ReadJson(KeyPath(info->id));
    EXPECT_EQ(*doc.FindString("publicKeyMultibase"), PublicKeyToMultikey(key->public_key()));
    EXPECT_EQ(*doc.FindString("type"), KeyTypeName(type));
  }
}

TEST_F(KeyStoreFile, TamperedCiphertextIsCorrupt) {
  std::string good_id, bad_id;
  {
    auto store = Open(Passphrase("pass"));
    ASSERT_NE(store, nullptr);
    auto good = store->Generate(KeyType::kEd25519, "good");
    auto bad = store->Generate(KeyType::kEd25519, "bad");
    ASSERT_THAT(good, IsOk());
    ASSERT_THAT(bad, IsOk());
    good_id = good->id;
    bad_id = bad->id;
  }
  json::Value doc = ReadJson(KeyPath(bad_id));
  auto sealed = Base64UrlDecode(*doc.FindString("ciphertext"));
  ASSERT_THAT(sealed, IsOk());
  (*sealed)[5] ^= 0x01;
  doc.Set("ciphertext", Base64UrlEncode(*sealed));
  WriteJson(KeyPath(bad_id), doc);

  auto store = Open(Passphrase("pass"));  // a fresh store: nothing decrypted is cached
  ASSERT_NE(store, nullptr);
  auto signer = store->GetSigner(bad_id);
  EXPECT_THAT(signer, ErrorIs("keystore.corrupt"));
  if (!signer.ok()) {
    EXPECT_EQ(signer.error().code, Code::kDataLoss);
  }
  EXPECT_THAT(store->Get(bad_id), ErrorIs("keystore.corrupt"));
  auto listed = store->List();
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, good_id);
}

TEST_F(KeyStoreFile, SwappedPublicKeysAreCorrupt) {
  std::vector<std::string> ids;
  {
    auto store = Open(Passphrase("pass"));
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 3; ++i) {
      auto info = store->Generate(KeyType::kEd25519, "");
      ASSERT_THAT(info, IsOk());
      ids.push_back(info->id);
    }
  }
  json::Value a = ReadJson(KeyPath(ids[0]));
  json::Value b = ReadJson(KeyPath(ids[1]));
  const std::string a_key = *a.FindString("publicKeyMultibase");
  a.Set("publicKeyMultibase", *b.FindString("publicKeyMultibase"));
  b.Set("publicKeyMultibase", a_key);
  WriteJson(KeyPath(ids[0]), a);
  WriteJson(KeyPath(ids[1]), b);

  auto store = Open(Passphrase("pass"));
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->GetSigner(ids[0]), ErrorIs("keystore.corrupt"));
  EXPECT_THAT(store->GetSigner(ids[1]), ErrorIs("keystore.corrupt"));
  EXPECT_THAT(store->Get(ids[0]), ErrorIs("keystore.corrupt"));
  auto listed = store->List();
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, ids[2]);
}

TEST_F(KeyStoreFile, KeyFileCopiedUnderAnotherIdIsCorrupt) {
  std::string id;
  {
    auto store = Open(Passphrase("pass"));
    ASSERT_NE(store, nullptr);
    auto info = store->Generate(KeyType::kP256, "");
    ASSERT_THAT(info, IsOk());
    id = info->id;
  }
  // Copied as is, the file names another id.
  WriteFile(KeyPath("copied"), ReadFile(KeyPath(id)));
  // With its id rewritten to match, it no longer authenticates.
  json::Value doc = ReadJson(KeyPath(id));
  doc.Set("id", "rewritten");
  WriteJson(KeyPath("rewritten"), doc);

  auto store = Open(Passphrase("pass"));
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->GetSigner("copied"), ErrorIs("keystore.corrupt"));
  EXPECT_THAT(store->GetSigner("rewritten"), ErrorIs("keystore.corrupt"));
  EXPECT_THAT(store->GetSigner(id), IsOk());
}

TEST_F(KeyStoreFile, MalformedKeyFileDoesNotHideTheOthers) {
  auto store = Open(Passphrase("pass"));
  ASSERT_NE(store, nullptr);
  auto good = store->Generate(KeyType::kEd25519, "good");
  ASSERT_THAT(good, IsOk());
  WriteFile(KeyPath("broken"), "{\"version\":1,");
  WriteFile(KeyPath("future"), R"({"version":2})");
  WriteFile(Dir() + "/notes.txt", "not a key");

  auto broken = store->Get("broken");
  EXPECT_THAT(broken, ErrorIs("keystore.corrupt"));
  if (!broken.ok()) {
    EXPECT_THAT(broken.error().message, HasSubstr("broken.key.json"));
  }
  EXPECT_THAT(store->GetSigner("broken"), ErrorIs("keystore.corrupt"));
  EXPECT_THAT(store->Get("future"), ErrorIs("keystore.unsupported_version"));
  auto listed = store->List();
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(*listed, std::vector<KeyInfo>{*good});
}

// Writes a key file by hand, following the byte-level format in key_store.h, for a master-key
// store: proves the documented format is the real one, and lets a test encrypt a secret that
// does not match the stated public key.
void WriteKeyFileByHand(const std::string& path, const std::string& id, const PublicKey& stated,
                        const PrivateKey& encrypted) {
  auto master = HexDecode(kMasterKeyHex);
  ASSERT_THAT(master, IsOk());
  unsigned char store_key[32];
  crypto_kdf_derive_from_key(store_key, sizeof store_key, 1, "LanyrdKS", master->data());
  const std::string type(KeyTypeName(stated.type()));
  const std::string multikey = PublicKeyToMultikey(stated);
  std::string ad = "lanyard.keystore.key.v1";
  ad += '\0' + id + '\0' + type + '\0' + multikey;
  Bytes nonce(24, 7);
  Bytes secret = encrypted.ExportSecret();
  Bytes sealed(secret.size() + 16);
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), nullptr, secret.data(), secret.size(),
                                             AsBytes(ad).data(), ad.size(), nullptr, nonce.data(),
                                             store_key);
  json::Object doc;
  doc.emplace_back("version", 1);
  doc.emplace_back("id", id);
  doc.emplace_back("type", type);
  doc.emplace_back("label", "by hand");
  doc.emplace_back("publicKeyMultibase", multikey);
  doc.emplace_back("nonce", Base64UrlEncode(nonce));
  doc.emplace_back("ciphertext", Base64UrlEncode(sealed));
  WriteJson(path, doc);
}

TEST_F(KeyStoreFile, SecretThatDoesNotGiveItsPublicKeyIsCorrupt) {
  auto store = Open(MasterKey(kMasterKeyHex));
  ASSERT_NE(store, nullptr);
  auto key = PrivateKey::Generate(KeyType::kEd25519);
  auto other = PrivateKey::Generate(KeyType::kEd25519);
  ASSERT_THAT(key, IsOk());
  ASSERT_THAT(other, IsOk());

  WriteKeyFileByHand(KeyPath("by_hand"), "by_hand", key->public_key(), *key);
  auto info = store->Get("by_hand");
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->public_key, key->public_key());
  EXPECT_EQ(info->label, "by hand");
  ExpectSignsAndVerifies(*store, *info);

  WriteKeyFileByHand(KeyPath("mismatched"), "mismatched", key->public_key(), *other);
  EXPECT_THAT(store->GetSigner("mismatched"), ErrorIs("keystore.corrupt"));
}

TEST_F(KeyStoreFile, RefusesKeyFilesWithoutAHeader) {
  {
    auto store = Open(Passphrase("pass"));
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->Generate(KeyType::kEd25519, ""), IsOk());
  }
  std::filesystem::remove(Dir() + "/keystore.json");
  EXPECT_THAT(OpenFileKeyStore(Dir(), Passphrase("pass"), kCheapKdf), ErrorIs("keystore.corrupt"));
  EXPECT_FALSE(std::filesystem::exists(Dir() + "/keystore.json"));
}

TEST_F(KeyStoreFile, SeesKeysAddedThroughAnotherHandle) {
  auto first = Open(Passphrase("pass"));
  auto second = Open(Passphrase("pass"));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  auto info = first->Generate(KeyType::kP256, "from the first");
  ASSERT_THAT(info, IsOk());
  auto seen = second->Get(info->id);
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(*seen, *info);
  ExpectSignsAndVerifies(*second, *info);
}

// ----- The secret from the environment -----------------------------------------------------------

EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> vars) {
  auto owned = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [owned](const char* name) -> const char* {
    auto it = owned->find(name);
    return it == owned->end() ? nullptr : it->second.c_str();
  };
}

TEST(KeyStoreEnvironment, NeitherVariableIsNoSecret) {
  auto secret = KeyStoreSecretFromEnvironment(FakeEnvironment({{"HOME", "/root"}}));
  EXPECT_THAT(secret, ErrorIs("keystore.no_secret"));
  if (!secret.ok()) {
    EXPECT_EQ(secret.error().code, Code::kFailedPrecondition);
  }
  EXPECT_THAT(KeyStoreSecretFromEnvironment(FakeEnvironment(
                  {{"LANYARD_KEYSTORE_MASTER_KEY", ""}, {"LANYARD_KEYSTORE_PASSPHRASE", ""}})),
              ErrorIs("keystore.no_secret"));
}

TEST(KeyStoreEnvironment, PrefersTheMasterKey) {
  auto secret = KeyStoreSecretFromEnvironment(FakeEnvironment(
      {{"LANYARD_KEYSTORE_MASTER_KEY", kMasterKeyHex}, {"LANYARD_KEYSTORE_PASSPHRASE", "pass"}}));
  ASSERT_THAT(secret, IsOk());
  EXPECT_EQ(secret->kind, KeyStoreSecret::Kind::kMasterKey);
  EXPECT_EQ(secret->value, kMasterKeyHex);
}

TEST(KeyStoreEnvironment, FallsBackToThePassphrase) {
  auto secret = KeyStoreSecretFromEnvironment(FakeEnvironment(
      {{"LANYARD_KEYSTORE_MASTER_KEY", ""}, {"LANYARD_KEYSTORE_PASSPHRASE", "pass phrase"}}));
  ASSERT_THAT(secret, IsOk());
  EXPECT_EQ(secret->kind, KeyStoreSecret::Kind::kPassphrase);
  EXPECT_EQ(secret->value, "pass phrase");
}

TEST(KeyStoreEnvironment, RefusesAMalformedMasterKey) {
  EXPECT_THAT(KeyStoreSecretFromEnvironment(FakeEnvironment(
                  {{"LANYARD_KEYSTORE_MASTER_KEY", "0011"}, {"LANYARD_KEYSTORE_PASSPHRASE", "p"}})),
              ErrorIs("keystore.invalid_secret"));
}

}  // namespace
}  // namespace lanyard::crypto
