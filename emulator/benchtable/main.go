// Command benchtable turns the output of `go test -bench` (read from stdin)
// into the project's performance record, one Markdown file: `make bench`
// writes it to .build/bench.md and the README carries the latest one.
//
// Known benchmarks get tables of their own:
//
//   - BenchmarkCasesOps/<operation>: latency through the gateway against
//     the raw emulator calls the handler makes (measured interleaved in one
//     run), their ratio, and the Firestore reads and writes per operation;
//   - Benchmark…Throughput/<request>/clients=N: requests per second at
//     each client count;
//   - BenchmarkColdStart/<function>: binary size and exec → first answer
//     against the hello-world floor.
//
// Every other benchmark — the fan-out, sweep, notification and publish
// benchmarks, and any added later — joins the "Other benchmarks" table
// with all its metrics, so a new benchmark needs no change here: report
// latencies as p50-ms / p99-ms and costs as reads/op / writes/op
// (b.ReportMetric) and its row appears.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "bench.md", "file to write the table to")
	flag.Parse()
	rows, err := parseAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	md := render(rows, time.Now().UTC(), cpuModel())
	if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// row is one benchmark result: its name without "Benchmark" and the
// GOMAXPROCS suffix, and its metrics by unit.
type row struct {
	name    string
	units   []string // in the order reported
	metrics map[string]float64
}

func (r row) has(unit string) bool { _, ok := r.metrics[unit]; return ok }

func parseAll(in io.Reader) ([]row, error) {
	var rows []row
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if r, ok := parse(sc.Text()); ok {
			rows = append(rows, r)
		}
	}
	return rows, sc.Err()
}

// parse reads one result line: "BenchmarkX/sub-2  N  v unit  v unit …".
// The iteration count and the allocation figures are left out.
func parse(line string) (row, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return row{}, false
	}
	if _, err := strconv.Atoi(f[1]); err != nil {
		return row{}, false
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndex(name, "-"); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i] // the GOMAXPROCS suffix
		}
	}
	r := row{name: name, metrics: map[string]float64{}}
	for i := 2; i+1 < len(f); i += 2 {
		unit := f[i+1]
		if unit == "B/op" || unit == "allocs/op" {
			continue
		}
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		r.units = append(r.units, unit)
		r.metrics[unit] = v
	}
	return r, true
}

// opTargets are the operations held to ≤ 1.3× their raw calls.
var opTargets = map[string]bool{"create-case": true, "create-comment": true, "close": true, "escalate": true, "patch": true}

const (
	opTarget    = 1.3  // × raw calls, p50
	sizeTarget  = 30.0 // MB, API functions
	startTarget = 2.5  // × the floor's exec → first 200
)

func render(rows []row, now time.Time, cpu string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s/%s, %d CPUs (%s).\n", now.Format("2006-01-02 15:04 MST"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpu)
	used := map[int]bool{}

	// Operations.
	var ops strings.Builder
	for i, r := range rows {
		op, ok := strings.CutPrefix(r.name, "CasesOps/")
		if !ok {
			continue
		}
		used[i] = true
		ratio, target := "—", ""
		if r.has("x-raw") {
			ratio = fmt.Sprintf("%.2f×", r.metrics["x-raw"])
			if opTargets[op] {
				target = verdict(r.metrics["x-raw"] <= opTarget, fmt.Sprintf("≤ %.1f×", opTarget))
			}
		}
		fmt.Fprintf(&ops, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", op, num(r, "p50-ms"), num(r, "p99-ms"), num(r, "raw-p50-ms"), ratio, target,
			num(r, "reads/op"), num(r, "writes/op"))
	}
	if ops.Len() > 0 {
		b.WriteString("\n**Case operations** through the gateway, against the raw emulator calls the handler makes (interleaved, same run); Firestore reads and writes per operation as counted at the client.\n\n")
		b.WriteString("| operation | p50 ms | p99 ms | raw calls p50 ms | × raw | target | reads | writes |\n|---|---|---|---|---|---|---|---|\n")
		b.WriteString(ops.String())
	}

	// Throughput: rows named …Throughput/<request>/clients=N.
	type tput struct {
		request string
		byN     map[int]float64
	}
	var tputs []*tput
	for i, r := range rows {
		bench, rest, ok := strings.Cut(r.name, "/")
		if !ok || !strings.HasSuffix(bench, "Throughput") || !r.has("req/s") {
			continue
		}
		request, clients, ok := strings.Cut(rest, "/clients=")
		n, err := strconv.Atoi(clients)
		if !ok || err != nil {
			continue
		}
		used[i] = true
		request = strings.TrimSuffix(bench, "Throughput") + " " + request
		j := slices.IndexFunc(tputs, func(t *tput) bool { return t.request == request })
		if j < 0 {
			tputs = append(tputs, &tput{request: request, byN: map[int]float64{}})
			j = len(tputs) - 1
		}
		tputs[j].byN[n] = r.metrics["req/s"]
	}
	if len(tputs) > 0 {
		b.WriteString("\n**Throughput** through the gateway (requests per second, all clients together).\n\n| request | 1 client | 8 clients | 32 clients |\n|---|---|---|---|\n")
		for _, t := range tputs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.request, reqs(t.byN, 1), reqs(t.byN, 8), reqs(t.byN, 32))
		}
	}

	// Cold start and size.
	var cold strings.Builder
	for i, r := range rows {
		fn, ok := strings.CutPrefix(r.name, "ColdStart/")
		if !ok {
			continue
		}
		used[i] = true
		sizeOK, startOK := "", ""
		if r.has("authenticated") { // an API function: held to the targets
			sizeOK = " " + verdict(r.metrics["MB"] <= sizeTarget, fmt.Sprintf("≤ %.0f MB", sizeTarget))
			startOK = " " + verdict(r.metrics["start-x-floor"] <= startTarget, fmt.Sprintf("≤ %.1f×", startTarget))
		}
		fmt.Fprintf(&cold, "| %s | %s%s | %s | %s | %s%s | %s |\n", fn, num(r, "MB"), sizeOK, times(r, "size-x-floor"), num(r, "start-ms"), times(r, "start-x-floor"), startOK, num(r, "warm-ms"))
	}
	if cold.Len() > 0 {
		b.WriteString("\n**Functions**, staged and built as the buildpack builds them: binary size and cold start (exec → first answer: an authenticated 200 for API functions, which are held to the targets; the shell for the portal; a push acknowledgement for event functions), p50; warm: the same request answered again by the started process, p50 (what the request itself costs on the emulators, the part of the cold start that is not start-up).\n\n")
		b.WriteString("| function | binary MB | × floor | cold start ms | × floor | warm ms |\n|---|---|---|---|---|---|\n")
		b.WriteString(cold.String())
	}

	// Everything else.
	var other strings.Builder
	for i, r := range rows {
		if used[i] {
			continue
		}
		parts := make([]string, len(r.units))
		for j, u := range r.units {
			parts[j] = format(r.metrics[u]) + " " + u
		}
		fmt.Fprintf(&other, "| %s | %s |\n", r.name, strings.Join(parts, ", "))
	}
	if other.Len() > 0 {
		b.WriteString("\n**Other benchmarks** (fan-out, sweeps, notification latency, publish, gateway, …).\n\n| benchmark | metrics |\n|---|---|\n")
		b.WriteString(other.String())
	}
	return b.String()
}

func verdict(ok bool, target string) string {
	if ok {
		return "✓ " + target
	}
	return "✗ " + target
}

func num(r row, unit string) string {
	if !r.has(unit) {
		return "—"
	}
	return format(r.metrics[unit])
}

func times(r row, unit string) string {
	if !r.has(unit) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", r.metrics[unit])
}

func reqs(byN map[int]float64, n int) string {
	v, ok := byN[n]
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// format prints v with about three significant digits.
func format(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100 || v <= -100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10 || v <= -10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// cpuModel names the processor (Linux), for the record.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown processor"
	}
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown processor"
}
