// Strings of changing an onboarded organisation (orgedit.tsx).

import type { Strings } from "./i18n";

export const orgEditText = {
  oeEdit: ["Change {name}", "{name} 변경"],
  oeSave: ["Save changes to {name}", "{name} 변경 사항 저장"],
  oeSaved: ["{name} was changed.", "{name}을(를) 변경했습니다."],
} satisfies Strings;
