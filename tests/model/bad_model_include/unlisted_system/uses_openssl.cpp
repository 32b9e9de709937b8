// Fixture for ModelIncludeCheck: a system header that is not part of the C++
// standard library (here OpenSSL) must be rejected.
#include <openssl/evp.h>
