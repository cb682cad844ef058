// Msg is the one way a screen says how something went: a polite status
// line, or an alert for a failure (screen readers announce both).
export function Msg({ text, alert }: { text: string; alert?: boolean }) {
  return (
    <p role={alert ? "alert" : "status"} class={alert ? "msg error" : "msg"}>
      {text}
    </p>
  );
}
