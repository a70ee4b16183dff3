# Developer targets. The two set-up commands of the README need no make.

FUZZTIME ?= 30s

.PHONY: test fuzz bench

test:
	go test ./...

# Each fuzz target for FUZZTIME (not part of CI's test run). A crasher the
# fuzzer finds is written to the package's testdata/fuzz folder: fix it and
# commit the file, so go test replays it from then on.
fuzz:
	go test ./dataset -run '^$$' -fuzz '^FuzzReadIDX$$' -fuzztime $(FUZZTIME)
	go test ./config -run '^$$' -fuzz '^FuzzParseConfig$$' -fuzztime $(FUZZTIME)
	go test ./model -run '^$$' -fuzz '^FuzzReadCheckpoint$$' -fuzztime $(FUZZTIME)
	go test ./model -run '^$$' -fuzz '^FuzzCheckpointPayload$$' -fuzztime $(FUZZTIME)
	go test ./serve -run '^$$' -fuzz '^FuzzRequests$$' -fuzztime $(FUZZTIME)
	go test ./interop -run '^$$' -fuzz '^FuzzReadSafetensors$$' -fuzztime $(FUZZTIME)

# Per-step benchmarks on real MNIST, OpenBLAS (if installed) then pure Go.
bench:
	go test ./train -run '^$$' -bench . -benchmem -count 5
	GOVAE_BLAS=go go test ./train -run '^$$' -bench . -benchmem -count 5
	go test ./likelihood -run '^$$' -bench . -count 5
