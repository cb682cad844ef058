// Strings of the support team's feedback triage screen (stafffeedback.tsx).

import type { Strings } from "./i18n";

export const staffFeedbackText = {
  sfNav: ["Feedback", "의견"],
  sfTitle: ["Feedback from users", "사용자 의견"],
  sfOnlyStaff: ["Only the support team reads the feedback people send.", "사용자가 보낸 의견은 지원팀만 볼 수 있습니다."],
  sfKind: ["Kind", "종류"],
  sfState: ["State", "상태"],
  sfAnyKind: ["Any kind", "모든 종류"],
  sfAnyState: ["Any state", "모든 상태"],
  sfState_NEW: ["New", "신규"],
  sfState_TRIAGED: ["Triaged", "분류됨"],
  sfNone: ["No feedback matches.", "일치하는 의견이 없습니다."],
  sfFrom: ["From {email}", "보낸 사람: {email}"],
  sfOrg: ["Organisation {org}", "조직 {org}"],
  sfNoOrg: ["No organisation", "조직 없음"],
  sfPage: ["Sent from {url}", "보낸 페이지: {url}"],
  sfTriage: ["Mark as triaged", "분류 완료로 표시"],
  sfTriageFor: ["Mark as triaged: the feedback from {email}", "분류 완료로 표시: {email}의 의견"],
  sfTriagedBy: ["Triaged by {who} on {time}", "{who}이(가) {time}에 분류함"],
  sfTriaged: ["The feedback from {email} is triaged.", "{email}의 의견을 분류 완료로 표시했습니다."],
} satisfies Strings;
