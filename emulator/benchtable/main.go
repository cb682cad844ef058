// Command benchtable turns the output of `go test -bench` (read from stdin)
// into the project's performance record: one Markdown table of every
// benchmark metric, followed by the size of each function's binary, built
// the way the Go buildpack builds it (a main package that imports the
// function and starts the functions framework), against a hello-world
// function built the same way. `make bench` writes it to bench.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

const module = "github.com/supportcenter/supportcenter"

func main() {
	out := flag.String("o", "bench.md", "file to write the table to")
	flag.Parse()
	if err := run(os.Stdin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s/%s, %d CPUs (shared with other work: numbers are indicative).\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	b.WriteString("| benchmark | metrics |\n|---|---|\n")
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		name, metrics, ok := parse(line)
		if ok {
			fmt.Fprintf(&b, "| %s | %s |\n", name, metrics)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	sizes, err := binarySizes()
	if err != nil {
		return err
	}
	b.WriteString("\n" + sizes)
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

// parse reads one result line: "BenchmarkX/sub-2  N  v unit  v unit …".
// The iteration count and the allocation figures are left out.
func parse(line string) (name, metrics string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", "", false
	}
	name = strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndex(name, "-"); i > 0 {
		name = name[:i] // the GOMAXPROCS suffix
	}
	var parts []string
	for i := 2; i+1 < len(f); i += 2 {
		switch f[i+1] {
		case "B/op", "allocs/op":
			continue
		}
		parts = append(parts, f[i]+" "+f[i+1])
	}
	return name, strings.Join(parts, ", "), true
}

// binarySizes builds every function and a hello-world floor in a scratch
// directory inside the module (a dot directory, so ./... never sees it).
func binarySizes() (string, error) {
	m, err := manifest.Load()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(".", ".benchbuild-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	floor, err := build(dir, "hello-world", helloMain)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| function binary | size | × hello-world floor |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| hello-world (floor) | %.1f MB | 1.0 |\n", mb(floor))
	for _, f := range m.Functions {
		pkg := module + "/functions/" + strings.ReplaceAll(f.Name, "-", "")
		size, err := build(dir, f.Name, fmt.Sprintf(functionMain, pkg))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "| %s | %.1f MB | %.1f |\n", f.Name, mb(size), float64(size)/float64(floor))
	}
	return b.String(), nil
}

const functionMain = `package main

import (
	"log"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	_ %q
)

func main() { log.Fatal(funcframework.Start("8080")) }
`

const helloMain = `package main

import (
	"log"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
)

func init() {
	functions.HTTP("hello", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) })
}

func main() { log.Fatal(funcframework.Start("8080")) }
`

func build(dir, name, src string) (int64, error) {
	pkgDir := filepath.Join(dir, name)
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(pkgDir, "main.go"), []byte(src), 0o644); err != nil {
		return 0, err
	}
	bin := filepath.Join(dir, name+".bin")
	cmd := exec.Command("go", "build", "-o", bin, "./"+pkgDir)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("build %s: %w", name, err)
	}
	st, err := os.Stat(bin)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func mb(n int64) float64 { return float64(n) / 1e6 }
