// Strings of single sign-on: the sign-in page's provider button and
// messages, and the organisation's single sign-on screen.

import type { Strings } from "./i18n";

export const ssoText = {
  ssoContinue: ["Sign in with {name}", "{name}(으)로 로그인"],
  ssoGoing: ["Going to your organisation's sign-in page…", "조직의 로그인 페이지로 이동하는 중…"],
  ssoOr: ["Or sign in with your password:", "또는 비밀번호로 로그인:"],
  ssoStartFailed: ["Your organisation's sign-in page could not be reached. Try again in a moment.", "조직의 로그인 페이지에 연결할 수 없습니다. 잠시 후 다시 시도하세요."],
  ssoNotStarted: [
    "That sign-in answer was not asked for in this browser tab, or it is more than ten minutes old, so nobody was signed in. Start again.",
    "이 브라우저 탭에서 요청하지 않았거나 10분이 지난 로그인 응답이므로 로그인하지 않았습니다. 다시 시작하세요.",
  ],
  ssoFailed: [
    "Your organisation's identity provider did not sign you in (its answer was refused or has expired). Try again, or ask your administrator.",
    "조직의 ID 공급자가 로그인을 완료하지 못했습니다(응답이 거부되었거나 만료됨). 다시 시도하거나 관리자에게 문의하세요.",
  ],
  ssoNav: ["Single sign-on", "싱글 사인온"],
  ssoTitle: ["Single sign-on", "싱글 사인온"],
  ssoLinkFor: ["Single sign-on of {name}", "{name}의 싱글 사인온"],
  ssoIntro: [
    "People at the organisation's domains can sign in through its identity provider (OpenID Connect or SAML 2.0). Where single sign-on is required, they cannot sign in any other way.",
    "조직 도메인의 사용자는 조직의 ID 공급자(OpenID Connect 또는 SAML 2.0)로 로그인할 수 있습니다. 싱글 사인온이 필수이면 다른 방법으로는 로그인할 수 없습니다.",
  ],
  ssoReadOnly: [
    "Only the support team changes these settings: a wrong identity provider could lock everyone out, administrators included. Ask them for a change.",
    "이 설정은 지원팀만 변경합니다. 잘못된 ID 공급자는 관리자를 포함한 모든 사람의 로그인을 막을 수 있습니다. 변경이 필요하면 지원팀에 요청하세요.",
  ],
  ssoCurrent: ["Current settings", "현재 설정"],
  ssoType: ["Identity provider", "ID 공급자"],
  ssoType_NONE: ["None (passwords only)", "없음(비밀번호만)"],
  ssoType_OIDC: ["OpenID Connect", "OpenID Connect"],
  ssoType_SAML: ["SAML 2.0", "SAML 2.0"],
  ssoProviderId: ["Provider ID", "공급자 ID"],
  ssoName: ["Name shown on the sign-in page", "로그인 페이지에 표시할 이름"],
  ssoRequiredLabel: ["Single sign-on required for the organisation's domains", "조직 도메인에 싱글 사인온 필수"],
  ssoYes: ["Yes", "예"],
  ssoNo: ["No", "아니요"],
  ssoRegistered: ["Registered in Identity Platform", "Identity Platform에 등록됨"],
  ssoNotRegistered: ["Not registered (the local Auth emulator cannot hold providers)", "등록되지 않음(로컬 Auth 에뮬레이터는 공급자를 저장할 수 없음)"],
  ssoUpdated: ["Last changed", "마지막 변경"],
  ssoIssuer: ["Issuer", "발급자(Issuer)"],
  ssoClientId: ["Client ID", "클라이언트 ID"],
  ssoClientSecret: ["Client secret (optional: selects the authorization-code flow; never shown again)", "클라이언트 보안 비밀(선택: 인증 코드 흐름 사용, 다시 표시되지 않음)"],
  ssoFlow: ["Flow", "흐름"],
  ssoFlowCode: ["Authorization code (a client secret is held by Identity Platform)", "인증 코드(클라이언트 보안 비밀은 Identity Platform이 보관)"],
  ssoFlowImplicit: ["Implicit (ID token)", "암시적(ID 토큰)"],
  ssoRedirectUri: ["Redirect URI to register at the provider", "공급자에 등록할 리디렉션 URI"],
  ssoIdpEntityId: ["Identity provider's entity ID", "ID 공급자 엔터티 ID"],
  ssoSsoUrl: ["Identity provider's sign-in URL", "ID 공급자 로그인 URL"],
  ssoCerts: ["Signing certificates (PEM)", "서명 인증서(PEM)"],
  ssoCertCount: ["{n} certificate(s)", "인증서 {n}개"],
  ssoSpEntityId: ["Our entity ID (give it to the provider)", "당사 엔터티 ID(공급자에 제공)"],
  ssoAcs: ["Our assertion consumer service URL (give it to the provider)", "당사 ACS URL(공급자에 제공)"],
  ssoChange: ["Change single sign-on", "싱글 사인온 변경"],
  ssoSave: ["Save single sign-on", "싱글 사인온 저장"],
  ssoSaved: ["Single sign-on saved.", "싱글 사인온을 저장했습니다."],
  ssoUnchanged: ["Nothing to save: the settings are unchanged.", "변경된 설정이 없어 저장하지 않았습니다."],
  ssoRemoveWarning: [
    "Removing the identity provider lets people at the domains sign in with passwords again.",
    "ID 공급자를 제거하면 도메인의 사용자가 다시 비밀번호로 로그인할 수 있습니다.",
  ],
  ssoRequireWarning: [
    "With single sign-on required, nobody at the domains can sign in with a password — administrators included. Check that the provider works first.",
    "싱글 사인온이 필수이면 관리자를 포함해 도메인의 누구도 비밀번호로 로그인할 수 없습니다. 먼저 공급자가 작동하는지 확인하세요.",
  ],
  ssoNotCustomer: ["Single sign-on is configured for customer organisations only.", "싱글 사인온은 고객 조직에만 설정할 수 있습니다."],
} satisfies Strings;
