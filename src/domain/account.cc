// Account: what storing one works out from its fields.
#include "domain/account.h"

#include <utility>

#include "base/text.h"

namespace cx {

void KeyInPlace(KeyedAccount* k) {
  const Account& a = k->account;
  k->words = CompanyWords(a.name);
  k->name_key = JoinSorted(k->words);
  k->phone_key = PhoneKey(a.phone);
  k->email_key = EmailKey(a.email);
  k->custom_json = CustomFieldsToJson(a.custom);
}

KeyedAccount KeyAccount(Account a) {
  KeyedAccount k;
  k.account = std::move(a);
  KeyInPlace(&k);
  return k;
}

}  // namespace cx
