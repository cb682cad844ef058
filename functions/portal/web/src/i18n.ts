// Every string the portal shows, in English and Korean. The language comes
// from the profile, then the browser; the switcher changes it at any time.
// Dates are formatted in the browser's time zone with Intl.
// A screen with many strings of its own keeps them in <screen>.text.ts
// (an object of the same shape) joined into dict below.

import { ssoText } from "./sso.text";
import { catalogText } from "./catalog.text";
import { staffText } from "./staff.text";
import { orgEditText } from "./orgedit.text";
import { staffResourcesText } from "./staffresources.text";
import { staffFeedbackText } from "./stafffeedback.text";
import { staffKnownIssuesText } from "./staffknownissues.text";

export type Lang = "en" | "ko";

export type Strings = Record<string, [string, string]>;

const common = {
  appName: ["Support Center", "지원 센터"],
  skip: ["Skip to content", "본문으로 건너뛰기"],
  loading: ["Loading…", "불러오는 중…"],
  signIn: ["Sign in", "로그인"],
  signOut: ["Sign out", "로그아웃"],
  email: ["E-mail address", "이메일 주소"],
  password: ["Password", "비밀번호"],
  forgot: ["Forgot your password?", "비밀번호를 잊으셨나요?"],
  sendReset: ["Send a reset link", "재설정 링크 보내기"],
  resetSent: ["If an account exists for {email}, a password reset link is on its way.", "{email} 계정이 있으면 비밀번호 재설정 링크를 보냈습니다."],
  signInFailed: ["Sign-in failed: check the e-mail address and password.", "로그인하지 못했습니다. 이메일 주소와 비밀번호를 확인하세요."],
  language: ["Language", "언어"],
  switchLang: ["한국어", "English"],
  organization: ["Organisation", "조직"],
  cases: ["Cases", "케이스"],
  newCase: ["New case", "새 케이스"],
  products: ["Products", "제품"],
  users: ["Users", "사용자 관리"],
  orgSettings: ["Organisation settings", "조직 설정"],
  profile: ["My settings", "내 설정"],
  queue: ["Support queue", "지원 대기열"],
  accessRequests: ["Access requests", "접근 요청"],
  noAccessRequests: ["No access requests.", "접근 요청이 없습니다."],
  requester: ["Requested by", "요청자"],
  requestedOrg: ["Organisation asked about", "요청한 조직"],
  message: ["Message", "메시지"],
  timeOnly: ["{time}", "{time}"],
  reqCause: ["Situation", "현재 상태"],
  reqCause_NOT_A_MEMBER: ["Not a member", "구성원 아님"],
  reqCause_PENDING: ["Activation pending", "활성화 대기"],
  reqCause_PACKAGE_NOT_ELIGIBLE: ["Package not eligible", "패키지 미포함"],
  reqCause_: ["Already has access", "이미 접근 가능"],
  reqState_OPEN: ["Open", "열림"],
  reqState_RESOLVED: ["Resolved", "처리됨"],
  mainNav: ["Main", "주 메뉴"],
  // access required
  accessRequired: ["Access required", "접근 권한 필요"],
  cause_NOT_A_MEMBER: ["Your account is not a member of an organisation that uses the Support Center.", "계정이 지원 센터를 사용하는 조직의 구성원이 아닙니다."],
  cause_PENDING: ["Your access is being activated. It becomes active at {time}.", "접근 권한을 활성화하는 중입니다. {time}에 활성화됩니다."],
  cause_PACKAGE_NOT_ELIGIBLE: ["Your organisation's support package does not include the Support Center.", "조직의 지원 패키지에 지원 센터가 포함되어 있지 않습니다."],
  cause_EMAIL_NOT_VERIFIED: ["Your e-mail address is not verified yet.", "이메일 주소가 아직 인증되지 않았습니다."],
  cause_SSO_REQUIRED: ["Your organisation requires signing in with its single sign-on (identity provider), not with a password. Sign out, then sign in with your organisation's account.", "조직이 비밀번호가 아닌 싱글 사인온(ID 공급자)으로 로그인하도록 요구합니다. 로그아웃한 뒤 조직 계정으로 로그인하세요."],
  ssoRequired: ["{name}: your organisation signs you in with its single sign-on, not with a password. Continue to its sign-in page.", "{name}: 조직이 비밀번호가 아닌 싱글 사인온으로 로그인하도록 합니다. 조직의 로그인 페이지로 계속하세요."],
  ssoAvailable: ["Your organisation offers single sign-on ({name}); you can also sign in with your password.", "조직은 싱글 사인온({name})을 제공합니다. 비밀번호로도 로그인할 수 있습니다."],
  cause_UNKNOWN: ["You do not have access to the Support Center.", "지원 센터에 접근할 권한이 없습니다."],
  requestAccess: ["Request access", "접근 요청"],
  requestMessage: ["Why do you need access?", "접근이 필요한 이유"],
  requestSent: ["Your request was sent. The support team will answer by e-mail.", "요청을 보냈습니다. 지원팀이 이메일로 답변합니다."],
  send: ["Send", "보내기"],
  // case list
  state: ["State", "상태"],
  priority: ["Priority", "우선순위"],
  any: ["Any", "전체"],
  open: ["Open", "진행 중"],
  closed: ["Closed", "종료됨"],
  search: ["Search", "검색"],
  searchCases: ["Search cases", "케이스 검색"],
  apply: ["Apply", "적용"],
  noCases: ["No cases match.", "일치하는 케이스가 없습니다."],
  next: ["Next page", "다음 페이지"],
  prev: ["Previous page", "이전 페이지"],
  title: ["Title", "제목"],
  updated: ["Updated", "업데이트"],
  created: ["Created", "생성"],
  createdBy: ["Filed by", "작성자"],
  state_NEW: ["New", "신규"],
  state_IN_PROGRESS_GOOGLE_SUPPORT: ["Support is working", "지원팀 처리 중"],
  state_ACTION_REQUIRED: ["Waiting for you", "고객 조치 필요"],
  state_SOLUTION_PROVIDED: ["Solution provided", "해결책 제공됨"],
  state_CLOSED: ["Closed", "종료됨"],
  prio_P0: ["P0 – service down", "P0 – 서비스 중단"],
  prio_P1: ["P1 – unusable", "P1 – 사용 불가"],
  prio_P2: ["P2 – severely impaired", "P2 – 심각한 장애"],
  prio_P3: ["P3 – moderately impaired", "P3 – 일부 장애"],
  prio_P4: ["P4 – general question", "P4 – 일반 문의"],
  // case page
  description: ["Description", "설명"],
  details: ["Details", "상세 정보"],
  classification: ["Classification", "분류"],
  comments: ["Comments", "댓글"],
  noComments: ["No comments yet.", "아직 댓글이 없습니다."],
  addComment: ["Add a comment", "댓글 작성"],
  postComment: ["Post comment", "댓글 등록"],
  supportBadge: ["Support team", "지원팀"],
  attachments: ["Attachments", "첨부 파일"],
  noAttachments: ["No attachments.", "첨부 파일이 없습니다."],
  download: ["Download {name}", "{name} 다운로드"],
  addFiles: ["Attach files", "파일 첨부"],
  upload: ["Upload", "업로드"],
  uploading: ["Uploading {name}", "{name} 업로드 중"],
  uploadDone: ["Uploaded {name}; it appears here once it has been checked.", "{name}을(를) 업로드했습니다. 검사가 끝나면 표시됩니다."],
  closeCase: ["Close case", "케이스 종료"],
  closeConfirm: ["Close this case? You can reopen it by commenting within 30 days.", "이 케이스를 종료할까요? 30일 이내에 댓글을 달면 다시 열 수 있습니다."],
  caseClosed: ["This case is closed.", "이 케이스는 종료되었습니다."],
  reopenWithin: ["A comment before {time} reopens it.", "{time} 이전에 댓글을 달면 케이스가 다시 열립니다."],
  reopenExpired: ["It was closed more than 30 days ago and can no longer be reopened.", "종료된 지 30일이 지나 다시 열 수 없습니다."],
  openFollowUp: ["Open a new case about this", "이 건으로 새 케이스 열기"],
  survey: ["How did we do?", "지원에 만족하셨나요?"],
  rating: ["Rating (1 = poor, 5 = excellent)", "평점 (1 = 나쁨, 5 = 매우 좋음)"],
  surveyText: ["Anything to add? (optional)", "추가 의견 (선택)"],
  surveyThanks: ["Thank you for your feedback.", "의견을 보내 주셔서 감사합니다."],
  escalation: ["Escalation", "에스컬레이션"],
  notEscalated: ["Not escalated", "에스컬레이션되지 않음"],
  escalated: ["Escalated", "에스컬레이션됨"],
  escalate: ["Escalate", "에스컬레이션"],
  escalatedOnly: ["Escalated only", "에스컬레이션된 케이스만"],
  order: ["Order", "정렬"],
  orderNewest: ["Newest first", "최신순"],
  orderDue: ["Most urgent first (response due)", "긴급순 (응답 기한)"],
  reason: ["Reason", "사유"],
  reason_RESOLUTION_TIME: ["Resolution time", "해결 시간"],
  reason_TECHNICAL_EXPERTISE: ["Technical expertise", "기술 전문성"],
  reason_BUSINESS_IMPACT: ["Business impact", "비즈니스 영향"],
  justification: ["Justification", "근거"],
  cancel: ["Cancel", "취소"],
  save: ["Save", "저장"],
  saved: ["Saved.", "저장했습니다."],
  answer: ["Answer as support", "지원팀으로 답변"],
  changeState: ["Change state", "상태 변경"],
  slaFirst: ["First response (target: {n} min)", "최초 응답 (목표: {n}분)"],
  slaDue: ["due by {time}", "{time}까지"],
  slaOverdue: ["overdue since {time}", "{time}부터 지연"],
  slaMet: ["answered {time}", "{time} 응답"],
  reopenCount: ["Reopened {n} times", "{n}회 다시 열림"],
  slaTitle: ["Service level", "서비스 수준"],
  slaNext: ["Next response (target: {n} min)", "후속 응답 (목표: {n}분)"],
  slaState_ON_TRACK: ["On track", "정상"],
  slaState_DUE_SOON: ["Due soon", "기한 임박"],
  slaState_BREACHED: ["Overdue", "기한 초과"],
  slaState_MET: ["Answered", "응답 완료"],
  slaHours: ["Counted in the product's support hours.", "제품의 지원 시간 기준으로 계산합니다."],
  responseDue: ["response due {time}", "{time}까지 응답"],
  autoClose: ["This case closes automatically at {time} unless you reply.", "{time}까지 답변이 없으면 이 케이스는 자동으로 종료됩니다."],
  autoCloseSupport: ["Closes automatically at {time} unless the customer replies.", "{time}까지 고객 답변이 없으면 자동으로 종료됩니다."],
  autoCloseShort: ["closes {time}", "{time} 자동 종료"],
  cc: ["CC", "참조(CC)"],
  ccHelp: ["These people get e-mail about this case.", "이 사람들도 케이스 관련 이메일을 받습니다."],
  ccNone: ["Nobody is in copy.", "참조된 사람이 없습니다."],
  ccAdd: ["Add an e-mail address", "이메일 주소 추가"],
  ccAddButton: ["Add to CC", "참조에 추가"],
  ccRemove: ["Remove {email}", "{email} 삭제"],
  ccNew: ["CC: e-mail addresses, separated by commas (optional)", "참조(CC): 쉼표로 구분한 이메일 주소 (선택)"],
  ccMax: ["At most {n} addresses.", "최대 {n}개 주소까지 가능합니다."],

  previousCase: ["Follows case", "이전 케이스"],
  // new case
  product: ["Product", "제품"],
  choose: ["Choose…", "선택…"],
  create: ["Create case", "케이스 만들기"],
  intake: ["What helps us solve it fast", "빠른 해결에 필요한 정보"],
  issueStartTime: ["Problem start time", "문제 시작 시간"],
  issueEndTime: ["Problem end time", "문제 종료 시간"],
  timeZone: ["Time zone", "시간대"],
  productVersion: ["Version", "버전"],
  stackTrace: ["Stack trace or log lines", "스택 트레이스 또는 로그"],
  reproductionSteps: ["Reproducible example", "재현 방법"],
  relatedCode: ["Related code", "관련 코드"],
  applicationFlow: ["Application flow", "애플리케이션 흐름"],
  usersAffectedPercent: ["Users affected (%)", "영향받는 사용자 비율 (%)"],
  userImpact: ["How users are affected", "사용자 영향"],
  required: ["required", "필수"],
  // products
  package: ["Support package", "지원 패키지"],
  hours: ["Support hours", "지원 시간"],
  phone: ["Phone support", "전화 지원"],
  noPhone: ["Phone support comes with Gold and Platinum.", "전화 지원은 Gold와 Platinum 패키지에 포함됩니다."],
  serviceLevels: ["Service levels", "서비스 수준"],
  firstResponse: ["First response", "최초 응답"],
  nextResponse: ["Next response", "후속 응답"],
  minutes: ["{n} min", "{n}분"],
  // users
  addUser: ["Add a user", "사용자 추가"],
  displayName: ["Name", "이름"],
  role: ["Role", "역할"],
  role_ORG_ADMIN: ["Organisation admin", "조직 관리자"],
  role_PRODUCT_ADMIN: ["Product admin", "제품 관리자"],
  role_MEMBER: ["Member", "구성원"],
  role_VIEWER: ["Viewer", "조회자"],
  role_SUPPORT_AGENT: ["Support agent", "지원 담당자"],
  role_SUPPORT_ADMIN: ["Support admin", "지원 관리자"],
  status: ["Status", "상태"],
  allProducts: ["All products", "모든 제품"],
  status_ACTIVE: ["Active", "활성"],
  status_PENDING: ["Pending until {time}", "{time}까지 대기"],
  status_DISABLED: ["Disabled", "비활성"],
  disable: ["Disable", "비활성화"],
  remove: ["Remove", "삭제"],
  removeConfirm: ["Remove {email} from the organisation?", "{email}을(를) 조직에서 삭제할까요?"],
  userAdded: ["{email} was added. Access becomes active at {time}.", "{email}을(를) 추가했습니다. {time}에 활성화됩니다."],
  // settings
  resellerAccess: ["Reseller access", "리셀러 접근"],
  resellerGranted: ["{name} can see and manage your cases.", "{name}이(가) 케이스를 보고 관리할 수 있습니다."],
  resellerNotGranted: ["{name} cannot see your cases.", "{name}은(는) 케이스를 볼 수 없습니다."],
  noReseller: ["Your organisation is served directly by the vendor.", "조직이 공급사에서 직접 지원을 받습니다."],
  grant: ["Grant access", "접근 허용"],
  revoke: ["Revoke access", "접근 철회"],
  auditLog: ["Audit log", "감사 로그"],
  noAudit: ["No access changes yet.", "아직 접근 변경 내역이 없습니다."],
  notifications: ["E-mail notifications", "이메일 알림"],
  notif_ALL: ["Every case change", "모든 케이스 변경"],
  notif_NONE: ["None", "받지 않음"],
  // known issues
  kiBanner: ["Known issues affecting your products", "제품에 영향을 주는 알려진 문제"],
  kiSuggest: ["Is it one of these known issues?", "다음 알려진 문제 중 하나인가요?"],
  kiMeTooInstead: ["Me too (instead of a new case)", "나도 겪고 있음 (새 케이스 대신)"],
  kiMeTooFor: ["Me too: {title}", "나도 겪고 있음: {title}"],
  kiMeToo: ["Me too", "나도 겪고 있음"],
  kiMeTooHelp: ["\"Me too\" sends you every update by e-mail and opens one case for your organisation (or shows the one a colleague opened).", "'나도 겪고 있음'을 누르면 모든 업데이트를 이메일로 받고, 조직의 케이스가 하나 열립니다(동료가 이미 열었다면 그 케이스를 보여 줍니다)."],
  kiShowCase: ["Show my organisation's case", "조직의 케이스 보기"],
  kiStop: ["Stop e-mail updates", "이메일 업데이트 중지"],
  kiStopped: ["You no longer get updates of this issue by e-mail.", "이 문제의 업데이트를 더 이상 이메일로 받지 않습니다."],
  kiJoined: ["You get every update of this issue by e-mail.", "이 문제의 모든 업데이트를 이메일로 받습니다."],
  kiSubscribed: ["You are following this issue: updates come by e-mail.", "이 문제를 팔로우하고 있습니다. 업데이트는 이메일로 받습니다."],
  kiAffected: ["Affected too?", "같은 문제를 겪고 있나요?"],
  kiLinkedCase: ["Your organisation's case", "조직의 케이스"],
  kiUpdates: ["Updates", "업데이트"],
  kiNoUpdates: ["No updates yet.", "아직 업데이트가 없습니다."],
  kiResolution: ["Resolution", "해결"],
  kiPublished: ["Published", "게시"],
  kiResolved: ["Resolved", "해결됨"],
  kiResolvedHelp: ["This issue is resolved. If the problem persists, open a case.", "이 문제는 해결되었습니다. 문제가 계속되면 케이스를 여세요."],
  kiFollowers: ["People following", "팔로우하는 사람"],
  kiState_ACTIVE: ["Active", "진행 중"],
  kiState_RESOLVED: ["Resolved", "해결됨"],
  knownIssue: ["Known issue", "알려진 문제"],
  kiShowIssue: ["Details and updates", "상세 정보와 업데이트"],
  kiCaseJoined: ["You said \"me too\": this is your organisation's case for the known issue.", "'나도 겪고 있음'을 눌렀습니다. 이 케이스가 알려진 문제에 대한 조직의 케이스입니다."],
  // staff: access requests, enable, access review
  approve: ["Approve", "승인"],
  orgId: ["Organisation ID", "조직 ID"],
  answeredBy: ["Answered by {who}", "답변자: {who}"],
  approvedInto: ["Added to {org} as {roles}; access from {time}.", "{org}에 {roles}(으)로 추가됨. {time}부터 접근 가능."],
  reject: ["Reject", "거절"],
  approveFor: ["Approve {email}", "{email} 승인"],
  rejectFor: ["Reject {email}", "{email} 거절"],
  rejectReason: ["Reason (sent to the requester)", "사유 (요청자에게 전달됨)"],
  approved: ["{email} was approved and is added as a pending user.", "{email}을(를) 승인했습니다. 대기 중인 사용자로 추가됩니다."],
  rejected: ["{email} was rejected.", "{email}을(를) 거절했습니다."],
  reqState_APPROVED: ["Approved", "승인됨"],
  reqState_REJECTED: ["Rejected", "거절됨"],
  enable: ["Enable", "활성화"],
  review: ["Who can read your cases", "케이스를 볼 수 있는 사람"],
  reviewAt: ["As of {time}", "{time} 기준"],
  reviewMembers: ["Members", "구성원"],
  reviewPending: ["Pending members", "대기 중인 구성원"],
  reviewReseller: ["Reseller {name}", "리셀러 {name}"],
  reviewResellerOff: ["Access not granted: its people cannot read your cases.", "접근이 허용되지 않아 리셀러 직원은 케이스를 볼 수 없습니다."],
  reviewResellerOn: ["Access granted: its people below can read the cases filed through it since {time}.", "접근 허용됨: 아래 리셀러 직원은 {time} 이후 리셀러를 통해 접수된 케이스를 볼 수 있습니다."],
  reviewSupport: ["The support team (support agents and admins) reads and answers every case.", "지원팀(지원 담당자와 관리자)은 모든 케이스를 보고 답변합니다."],
  reviewNoAccess: ["Your package does not include the Support Center: only the support team reads your cases.", "패키지에 지원 센터가 포함되어 있지 않아 지원팀만 케이스를 볼 수 있습니다."],
  reviewTruncated: ["Only the first people are listed.", "일부 사람만 표시됩니다."],
  scope_ALL_PRODUCTS: ["All products", "모든 제품"],
  scope_PRODUCTS: ["Products: {list}", "제품: {list}"],
  scope_RESELLER_TERM: ["Cases filed through the reseller", "리셀러를 통해 접수된 케이스"],
  activeFrom: ["active from {time}", "{time}부터 활성"],
  // resources and feedback
  resources: ["Downloads and documents", "다운로드 및 문서"],
  noResources: ["Nothing is published for your products and package yet.", "제품과 패키지에 게시된 자료가 아직 없습니다."],
  resDownload: ["Download", "다운로드"],
  resSuperseded: ["A newer version replaces this one.", "새 버전으로 대체되었습니다."],
  resKind_DOCUMENT: ["Document", "문서"],
  resKind_DOWNLOAD: ["Software", "소프트웨어"],
  fbSend: ["Send feedback", "의견 보내기"],
  fbKind: ["What kind of feedback?", "어떤 의견인가요?"],
  fbKind_IDEA: ["Idea", "아이디어"],
  fbKind_PROBLEM: ["Problem", "문제"],
  fbKind_PRAISE: ["Praise", "칭찬"],
  fbMessage: ["Your feedback", "의견"],
  fbPrivacy: ["We keep your e-mail address, your organisation and this page's address with it, nothing else.", "의견과 함께 이메일 주소, 조직, 이 페이지 주소만 저장합니다."],
  fbThanks: ["Thank you. We sent you a confirmation by e-mail.", "감사합니다. 확인 이메일을 보냈습니다."],
  close: ["Close", "닫기"],
  // organisation onboarding (support admins)
  onboarding: ["Organisations", "조직 관리"],
  obNew: ["Onboard an organisation", "조직 등록"],
  obKind: ["Kind", "유형"],
  kind_CUSTOMER: ["Customer", "고객"],
  kind_RESELLER: ["Reseller", "리셀러"],
  kind_VENDOR: ["Vendor", "공급사"],
  obId: ["ID (lower case letters, digits, hyphens)", "ID (영문 소문자, 숫자, 하이픈)"],
  obDomains: ["Verified domains, separated by commas", "인증된 도메인 (쉼표로 구분)"],
  obReseller: ["Reseller", "리셀러"],
  obNoReseller: ["None: served by the vendor", "없음: 공급사가 직접 지원"],
  obAdmins: ["First organisation admins' e-mail addresses, separated by commas", "첫 조직 관리자 이메일 (쉼표로 구분)"],
  obCreate: ["Create organisation", "조직 만들기"],
  obCreated: ["{name} was created. Its first admins get a welcome e-mail once their access is active.", "{name}을(를) 만들었습니다. 첫 관리자는 접근이 활성화되면 환영 이메일을 받습니다."],
  obAll: ["All organisations", "전체 조직"],
  obSuspend: ["Suspend {name}", "{name} 정지"],
  obResume: ["Resume {name}", "{name} 재개"],
  obSuspended: ["{name} is suspended.", "{name}을(를) 정지했습니다."],
  obResumed: ["{name} is active again.", "{name}을(를) 다시 활성화했습니다."],
  obSuspendedBadge: ["Suspended", "정지됨"],
  obSuspendedAt: ["Suspended since {time}", "{time}부터 정지됨"],
  // errors
  error: ["Something went wrong: {msg}", "문제가 발생했습니다: {msg}"],
  notFound: ["Page not found.", "페이지를 찾을 수 없습니다."],
  caseNotFound: ["This case does not exist or you cannot see it.", "케이스가 없거나 볼 권한이 없습니다."],
  denied: ["You are not allowed to do that.", "이 작업을 할 권한이 없습니다."],
  capacity_RESELLER: ["as reseller", "리셀러로"],
  capacity_SUPPORT: ["support", "지원팀"],
  org: ["Organisation", "조직"],
} satisfies Strings;

const dict = {
  ...common,
  ...ssoText,
  ...catalogText,
  ...staffText,
  ...orgEditText,
  ...staffResourcesText,
  ...staffFeedbackText,
  ...staffKnownIssuesText,
};

export type Key = keyof typeof dict;

let lang: Lang = "en";

export function setLang(l: Lang) {
  lang = l;
  document.documentElement.lang = l;
}
export function getLang(): Lang {
  return lang;
}

/** The browser's preference, used until the profile says otherwise. */
export function browserLang(): Lang {
  const saved = localStorage.getItem("lang");
  if (saved === "en" || saved === "ko") return saved;
  return (navigator.languages || [navigator.language]).some((l) => l.toLowerCase().startsWith("ko")) ? "ko" : "en";
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s = dict[key][lang === "ko" ? 1 : 0];
  if (params) for (const [k, v] of Object.entries(params)) s = s.split("{" + k + "}").join(String(v));
  return s;
}

/** tk looks up a key built from an enum value, falling back to the value. */
export function tk(prefix: string, value: string, params?: Record<string, string | number>): string {
  const key = (prefix + value) as Key;
  return key in dict ? t(key, params) : value;
}

function locale(): string {
  const nav = navigator.language || "en";
  return nav.toLowerCase().startsWith(lang) ? nav : lang === "ko" ? "ko-KR" : "en";
}

/** A date and time in the user's locale and time zone. */
export function fmtTime(iso?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}
