// Account: what storing one works out from its fields.
#include "domain/account.h"

#include <utility>

#include "base/text.h"

namespace cx {

KeyedAccount KeyAccount(Account a) {
  KeyedAccount k;
  k.words = CompanyWords(a.name);
  k.name_key = JoinSorted(k.words);
  k.phone_key = PhoneKey(a.phone);
  k.email_key = EmailKey(a.email);
  k.custom_json = CustomFieldsToJson(a.custom);
  k.account = std::move(a);
  return k;
}

}  // namespace cx
