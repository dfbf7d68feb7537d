// The default of Tx::UserOfApiToken, from the look-ups it stands for (store.h).
#include "store/store.h"

namespace cx {

Result<std::optional<User>> Tx::UserOfApiToken(const std::string& hash) {
  CX_ASSIGN_OR_RETURN(auto login, ApiTokenLogin(hash));
  if (!login) return std::optional<User>();
  CX_ASSIGN_OR_RETURN(bool disabled, IsUserDisabled(*login));
  if (disabled) return std::optional<User>();
  return GetUser(*login);
}

}  // namespace cx
