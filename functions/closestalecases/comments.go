package closestalecases

import (
	"fmt"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/mail"
)

// The system comments the sweep writes, in English and Korean. A comment
// is one text every reader of the case sees, so it is written in the case
// creator's language (profile, else the case's languageCode, else
// English); the e-mails that tell people about it (package notify) are in
// each recipient's own language.
var comments = map[string]struct {
	remind, remindNoClose, close string
}{
	mail.English: {
		remind:        "This case is waiting for your reply. If we do not hear from you, it will close automatically on %s. Any reply keeps it open.",
		remindNoClose: "This case is waiting for your reply. Any reply lets us continue.",
		close:         "This case was closed automatically: it waited for your reply for %d days after our last update. Reply within %d days to reopen it.",
	},
	mail.Korean: {
		remind:        "이 케이스는 고객님의 답변을 기다리고 있습니다. 답변이 없으면 %s에 자동으로 종료됩니다. 답변을 남기시면 케이스는 계속 열려 있습니다.",
		remindNoClose: "이 케이스는 고객님의 답변을 기다리고 있습니다. 답변을 남기시면 계속 지원해 드리겠습니다.",
		close:         "이 케이스는 자동으로 종료되었습니다: 마지막 업데이트 후 %d일 동안 고객님의 답변이 없었습니다. %d일 이내에 답변하시면 케이스가 다시 열립니다.",
	},
}

// reminderText is the reminder comment in lang; closeAt zero means the
// case is never closed automatically (P0/P1, windows off).
func reminderText(lang string, closeAt time.Time, zone string) string {
	t := comments[mail.Lang(lang)]
	if closeAt.IsZero() {
		return t.remindNoClose
	}
	return fmt.Sprintf(t.remind, localTime(closeAt, zone))
}

// closeText is the closing comment in lang after a wait of days.
func closeText(lang string, days int) string {
	return fmt.Sprintf(comments[mail.Lang(lang)].close, days, casestate.ReopenWindowDays)
}

// localTime formats t in the case's time zone (an IANA name, as the case
// was filed with), UTC when it has none or an unknown one.
func localTime(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
