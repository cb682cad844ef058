// Strings of the support team's known-issue screens (staffknownissues.tsx).

import type { Strings } from "./i18n";

export const staffKnownIssuesText = {
  skNav: ["Known issues", "알려진 문제"],
  skTitle: ["Known issues", "알려진 문제"],
  skOnlyStaff: ["Only the support team manages known issues.", "알려진 문제는 지원팀만 관리할 수 있습니다."],
  skPublish: ["Publish a known issue", "알려진 문제 게시"],
  skSummary: ["Summary (shown in the banner)", "요약 (배너에 표시)"],
  skDetails: ["Details and workaround", "상세 정보 및 해결 방법"],
  skPublishButton: ["Publish", "게시"],
  skPublished: ["{title} is published.", "{title}을(를) 게시했습니다."],
  skEnglishOnly: ["Known issues are published in English.", "알려진 문제는 영어로 게시합니다."],
  skAll: ["All known issues", "모든 알려진 문제"],
  skAnyState: ["Any state", "모든 상태"],
  skNone: ["No known issues.", "알려진 문제가 없습니다."],
  skFacts: ["{products} · {followers} following · {updates} updates", "{products} · 팔로워 {followers}명 · 업데이트 {updates}건"],
  skActions: ["Support team", "지원팀 작업"],
  skPostUpdate: ["Post an update", "업데이트 게시"],
  skUpdateBody: ["Update (e-mailed to everyone following the issue)", "업데이트 (이 문제를 팔로우하는 모든 사람에게 이메일로 발송)"],
  skUpdatePosted: ["The update is posted and is being e-mailed to the people following the issue.", "업데이트를 게시했으며 이 문제를 팔로우하는 사람들에게 이메일로 보내는 중입니다."],
  skResolve: ["Resolve the issue", "문제 해결 처리"],
  skResolveBody: ["Resolution (the final update, e-mailed too)", "해결 내용 (마지막 업데이트, 이메일로도 발송)"],
  skResolveButton: ["Resolve", "해결"],
  skResolvedNote: ["The issue is resolved; the banner no longer shows it.", "문제를 해결 처리했습니다. 배너에 더 이상 표시되지 않습니다."],
  skAdminsResolve: ["Support admins publish and resolve known issues; support agents post updates.", "알려진 문제의 게시와 해결은 지원 관리자가, 업데이트는 지원 담당자가 합니다."],
} satisfies Strings;
