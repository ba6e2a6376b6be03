// Package bench holds sgc's benchmarks of each pipeline stage at 1k, 10k
// and 50k flows, on synthetic policies from internal/synth:
//
//	go test ./perf/bench -bench . -benchmem
//
// Whole-process timings are taken by perf/scale.sh.
package bench
