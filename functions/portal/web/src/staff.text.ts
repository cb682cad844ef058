// Strings of the support team screen (staff.tsx).

import type { Strings } from "./i18n";

export const staffText = {
  staff: ["Support team", "지원팀 관리"],
  staffIntro: ["The vendor organisation's people: support agents answer cases, support admins also run the catalogue, organisations and this team.", "공급사 조직의 구성원입니다. 지원 담당자는 케이스에 답변하고, 지원 관리자는 카탈로그, 조직, 지원팀도 관리합니다."],
  staffReadOnly: ["Only support admins add, change, disable and remove support staff.", "지원 인력의 추가, 변경, 비활성화, 삭제는 지원 관리자만 할 수 있습니다."],
  staffNotStaff: ["This page is for the support team.", "이 페이지는 지원팀 전용입니다."],
  staffAdd: ["Add a staff member", "지원 인력 추가"],
  staffAddButton: ["Add to the support team", "지원팀에 추가"],
  staffNone: ["Nobody in the support team yet.", "지원팀 구성원이 없습니다."],
  staffRoleOf: ["Role of {email}", "{email}의 역할"],
  staffSaveRole: ["Save role of {email}", "{email} 역할 저장"],
  staffDisable: ["Disable {email}", "{email} 비활성화"],
  staffEnable: ["Enable {email}", "{email} 활성화"],
  staffRemove: ["Remove {email}", "{email} 삭제"],
  staffRemoveConfirm: ["Remove {email} from the support team?", "{email}을(를) 지원팀에서 삭제할까요?"],
  staffRoleSaved: ["{email} is now: {role}.", "{email}의 역할: {role}."],
  staffDisabled: ["{email} is disabled.", "{email}을(를) 비활성화했습니다."],
  staffEnabled: ["{email} is enabled again.", "{email}을(를) 다시 활성화했습니다."],
  staffRemoved: ["{email} was removed from the support team.", "{email}을(를) 지원팀에서 삭제했습니다."],
  staffKeepAdmin: ["The support team must keep at least one active support admin: give someone else that role first.", "지원팀에는 활성 지원 관리자가 한 명 이상 있어야 합니다. 먼저 다른 사람에게 그 역할을 주세요."],
  staffYou: ["(you)", "(나)"],
} satisfies Strings;
