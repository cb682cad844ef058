package main

import (
	"strings"
	"testing"
	"time"
)

const sample = `goos: linux
BenchmarkCasesOps/create-comment-2         	     300	   8114620 ns/op	         5.10 p50-ms	        20.0 p99-ms	         4.20 raw-p50-ms	         1.214 x-raw	         5.000 reads/op	         5.000 writes/op	  100 B/op	 3 allocs/op
BenchmarkCasesOps/get-case-2               	     300	   1338381 ns/op	         1.285 p50-ms	         2.886 p99-ms	         1.00 raw-p50-ms	         1.285 x-raw	         4.000 reads/op	         0 writes/op
BenchmarkCasesOps/close-2                  	     300	   1338381 ns/op	         9.0 p50-ms	         20 p99-ms	         6.00 raw-p50-ms	         1.5 x-raw	         4.000 reads/op	         3 writes/op
BenchmarkCasesThroughput/get/clients=8-2   	    5000	    774311 ns/op	      1291 req/s
BenchmarkCasesThroughput/list/clients=32-2 	    5000	    774311 ns/op	       901.4 req/s
BenchmarkColdStart/hello-world-2           	      20	  10000000 ns/op	        11.6 MB	         1.000 size-x-floor	         6.60 start-ms	         1.000 start-x-floor
BenchmarkColdStart/cases-2                 	      20	  10000000 ns/op	        21.7 MB	         1.87 size-x-floor	        14.0 start-ms	         2.12 start-x-floor	         3.10 warm-ms	         1 authenticated
BenchmarkSweep/due=100-2                   	       1	4000000000 ns/op	       202.0 reads/op	       600.0 writes/op
PASS
`

func TestRender(t *testing.T) {
	t.Parallel()
	rows, err := parseAll(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	md := render(rows, time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC), "test cpu")
	for _, want := range []string{
		"Measured 2026-11-30 04:00 UTC",
		"| create-comment | 5.10 | 20.0 | 4.20 | 1.21× | ✓ ≤ 1.3× | 5.00 | 5.00 |",
		"| get-case | 1.28 | 2.89 | 1.00 | 1.28× |  | 4.00 | 0 |", // no target for reads
		"| close | 9.00 | 20.0 | 6.00 | 1.50× | ✗ ≤ 1.3× |",
		"| Cases get | — | 1291 | — |",
		"| Cases list | — | — | 901 |",
		"| hello-world | 11.6 | 1.00× | 6.60 | 1.00× | — |",
		"| cases | 21.7 ✓ ≤ 30 MB | 1.87× | 14.0 | 2.12× ✓ ≤ 2.5× | 3.10 |",
		"| Sweep/due=100 | 4000000000 ns/op, 202 reads/op, 600 writes/op |", // other benchmarks join as they are
	} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "B/op") || strings.Contains(md, "allocs/op") {
		t.Errorf("allocation figures in the table:\n%s", md)
	}
}
