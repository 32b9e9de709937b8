// SHA-256 through OpenSSL's EVP interface.
#include "digest.hpp"

#include <openssl/evp.h>

#include <iomanip>
#include <sstream>

namespace failsim {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  std::ostringstream hex;
  for (unsigned int i = 0; i < len; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(digest[i]);
  return hex.str();
}

}  // namespace failsim
