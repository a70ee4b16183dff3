package mpi

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ebitengine/purego"
)

// Library is the Open MPI library Join opens, unless LibraryVar names
// another file.
const Library = "libmpi.so.40"

// LibraryVar is the environment variable that names the MPI library to
// open, for an Open MPI installed outside the loader's path.
const LibraryVar = "GOVAE_MPI_LIBRARY"

// Install is what to install where Library is missing (Debian and Ubuntu).
const Install = "apt-get install openmpi-bin"

// Launched reports whether Open MPI's mpirun started this process (it sets
// OMPI_COMM_WORLD_SIZE in every rank's environment).
func Launched() bool {
	_, ok := os.LookupEnv("OMPI_COMM_WORLD_SIZE")
	return ok
}

// LocalSize is how many ranks of the job mpirun started on this machine, 1
// when it did not start this process.
func LocalSize() int {
	n, err := strconv.Atoi(os.Getenv("OMPI_COMM_WORLD_LOCAL_SIZE"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// World is this process's place in the job: its rank among Size processes.
// Its methods are collectives: every rank must call the same ones in the
// same order, or the job waits forever. It is safe for concurrent use, but
// two goroutines calling collectives at once see them in no set order.
type World struct {
	rank, size int

	calls chan func() // run on the thread that called MPI_Init
	lib   *library
}

// library holds the functions and predefined handles Join looked up.
type library struct {
	init      func(argc, argv unsafe.Pointer) int32
	finalize  func() int32
	commRank  func(comm uintptr, rank *int32) int32
	commSize  func(comm uintptr, size *int32) int32
	allreduce func(send uintptr, recv unsafe.Pointer, count int32, datatype, op, comm uintptr) int32
	bcast     func(buf unsafe.Pointer, count int32, datatype uintptr, root int32, comm uintptr) int32

	commWorld, float, double, byte_, sum uintptr
}

// inPlace is MPI_IN_PLACE in Open MPI's mpi.h: a sentinel address, never
// dereferenced.
const inPlace uintptr = 1

// Join opens Library (or the file LibraryVar names), initialises MPI and returns this process's World. The
// error names the package to install when the library is missing.
func Join() (*World, error) {
	// Open MPI's handlers for SIGSEGV, SIGBUS, SIGFPE and SIGABRT would
	// replace the Go runtime's, which turns those signals into panics.
	if _, ok := os.LookupEnv("OMPI_MCA_opal_signal"); !ok {
		os.Setenv("OMPI_MCA_opal_signal", "")
	}
	name := Library
	if v := os.Getenv(LibraryVar); v != "" {
		name = v
	}
	h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, fmt.Errorf("MPI: %s not found (install Open MPI: %s): %w", name, Install, err)
	}
	lib, err := open(h)
	if err != nil {
		return nil, fmt.Errorf("MPI: %s: %w", name, err)
	}
	w := &World{calls: make(chan func()), lib: lib}
	started := make(chan error)
	go w.serve(started)
	if err := <-started; err != nil {
		return nil, err
	}
	return w, nil
}

// open looks up the functions and handles in the opened library.
func open(h uintptr) (*library, error) {
	l := &library{}
	funcs := []struct {
		fn   any
		name string
	}{
		{&l.init, "MPI_Init"}, {&l.finalize, "MPI_Finalize"}, {&l.commRank, "MPI_Comm_rank"},
		{&l.commSize, "MPI_Comm_size"}, {&l.allreduce, "MPI_Allreduce"}, {&l.bcast, "MPI_Bcast"},
	}
	for _, f := range funcs {
		if _, err := purego.Dlsym(h, f.name); err != nil {
			return nil, err
		}
		purego.RegisterLibFunc(f.fn, h, f.name)
	}
	handles := []struct {
		addr *uintptr
		name string
	}{
		{&l.commWorld, "ompi_mpi_comm_world"}, {&l.float, "ompi_mpi_float"}, {&l.double, "ompi_mpi_double"},
		{&l.byte_, "ompi_mpi_byte"}, {&l.sum, "ompi_mpi_op_sum"},
	}
	var errs []error
	for _, s := range handles {
		a, err := purego.Dlsym(h, s.name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w (not Open MPI?)", err))
		}
		*s.addr = a
	}
	return l, errors.Join(errs...)
}

// serve initialises MPI on a thread of its own, then runs the calls sent to
// it there until Close.
func (w *World) serve(started chan<- error) {
	runtime.LockOSThread()
	l := w.lib
	if rc := l.init(nil, nil); rc != 0 {
		started <- fmt.Errorf("MPI_Init: error %d", rc)
		return
	}
	var rank, size int32
	l.commRank(l.commWorld, &rank)
	l.commSize(l.commWorld, &size)
	w.rank, w.size = int(rank), int(size)
	started <- nil
	for call := range w.calls {
		call()
	}
}

// do runs f on the MPI thread and waits for it.
func (w *World) do(f func() int32) int32 {
	done := make(chan int32, 1)
	w.calls <- func() { done <- f() }
	return <-done
}

// Rank is this process's number, 0 to Size-1.
func (w *World) Rank() int { return w.rank }

// Size is the number of processes in the job.
func (w *World) Size() int { return w.size }

// SumFloat32 replaces buf, on every rank, by the element-wise sum of every
// rank's buf (MPI_Allreduce in place). Every rank passes the same length.
func (w *World) SumFloat32(buf []float32) error {
	return w.allreduce(unsafe.Pointer(unsafe.SliceData(buf)), len(buf), w.lib.float, "float32")
}

// SumFloat64 is SumFloat32 for float64s.
func (w *World) SumFloat64(buf []float64) error {
	return w.allreduce(unsafe.Pointer(unsafe.SliceData(buf)), len(buf), w.lib.double, "float64")
}

func (w *World) allreduce(p unsafe.Pointer, n int, datatype uintptr, what string) error {
	if n == 0 {
		return nil
	}
	if n > maxCount {
		return fmt.Errorf("MPI: sum of %d %s values: more than one call's %d", n, what, maxCount)
	}
	l := w.lib
	if rc := w.do(func() int32 { return l.allreduce(inPlace, p, int32(n), datatype, l.sum, l.commWorld) }); rc != 0 {
		return fmt.Errorf("MPI_Allreduce of %d %s values: error %d", n, what, rc)
	}
	return nil
}

// maxCount is the most elements one MPI call takes (its count is a C int).
const maxCount = 1<<31 - 1

// Broadcast copies rank 0's buf into buf on every other rank. Every rank
// passes the same length.
func (w *World) Broadcast(buf []byte) error {
	l := w.lib
	for start := 0; start < len(buf); start += maxCount {
		part := buf[start:min(len(buf), start+maxCount)]
		p := unsafe.Pointer(unsafe.SliceData(part))
		if rc := w.do(func() int32 { return l.bcast(p, int32(len(part)), l.byte_, 0, l.commWorld) }); rc != 0 {
			return fmt.Errorf("MPI_Bcast of %d bytes: error %d", len(part), rc)
		}
	}
	return nil
}

// Close finalises MPI. Every rank must call it, after its last collective;
// a rank that fails instead exits without it, and mpirun ends the job.
func (w *World) Close() error {
	rc := w.do(func() int32 { return w.lib.finalize() })
	close(w.calls)
	if rc != 0 {
		return fmt.Errorf("MPI_Finalize: error %d", rc)
	}
	return nil
}

// CPUs is how many CPUs this rank should use: the ones mpirun bound it to,
// but no more than its share of the machine's when it left ranks unbound
// (--bind-to none), so that N ranks on one machine never run N × all CPUs.
func CPUs() int {
	return max(1, min(runtime.NumCPU(), online()/LocalSize()))
}

// online is the number of CPUs the machine has online.
func online() int {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if n := countCPUs(string(b)); err == nil && n > 0 {
		return n
	}
	return runtime.NumCPU()
}

// countCPUs counts the CPUs of a Linux CPU list ("0-3,8,10-11"), or returns
// 0 if it is not one.
func countCPUs(list string) int {
	n := 0
	for _, part := range strings.Split(strings.TrimSpace(list), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(lo)
		z, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a < 0 || z < a {
			return 0
		}
		n += z - a + 1
	}
	return n
}
