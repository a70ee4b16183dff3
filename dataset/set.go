package dataset

// Set is a set of images, labelled or not, each flattened row-major; a
// colour image is three such planes, red, green, blue (C×H×W, as PyTorch
// lays them out). It keeps the pixels as bytes (a quarter of the memory of
// float32) and scales them to [0, 1] (byte/255) as batches are gathered.
type Set struct {
	Pixels     []byte // N × Channels·Rows·Cols, 0–255
	Labels     []int  // N labels in 0…Classes-1; nil for unlabelled images
	Classes    int    // number of classes; 0 for unlabelled images
	Channels   int    // 1 (grey) or 3 (colour); 0 reads as 1
	Rows, Cols int

	noise *uint64 // seed of the dequantization noise Gather adds (Dequantized); nil: none
}

// scaled maps a byte to its pixel value byte/255, exactly as a division would.
var scaled = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// Len is the number of images.
func (s *Set) Len() int { return len(s.Pixels) / max(1, s.Size()) }

// Size is the number of values of one image: channels × rows × cols.
func (s *Set) Size() int { return max(1, s.Channels) * s.Rows * s.Cols }

// Labelled tells whether the images carry labels.
func (s *Set) Labelled() bool { return s.Labels != nil }

// Image returns the i-th image's pixels in [0, 1].
func (s *Set) Image(i int) []float32 {
	dst := make([]float32, s.Size())
	s.Gather([]int{i}, dst)
	return dst
}

// Head returns a Set of the first n images (all if n ≤ 0 or n ≥ Len). It
// shares memory with s. The head of no set (nil) is nil.
func (s *Set) Head(n int) *Set {
	if s == nil || n <= 0 || n >= s.Len() {
		return s
	}
	out := *s
	out.Pixels = s.Pixels[:n*s.Size()]
	if s.Labels != nil {
		out.Labels = s.Labels[:n]
	}
	return &out
}

// Gather writes the images with the given indices, in order, into dst as
// values in [0, 1]; dst must hold len(idx)·Size values. A Dequantized set
// adds each image's own fixed noise.
func (s *Set) Gather(idx []int, dst []float32) {
	if s.noise != nil {
		s.GatherDequantized(idx, dst, *s.noise, 0)
		return
	}
	p := s.Size()
	for k, i := range idx {
		out := dst[k*p : (k+1)*p]
		for j, b := range s.Pixels[i*p : (i+1)*p] {
			out[j] = scaled[b]
		}
	}
}

// LabelsOf returns the labels of the images with the given indices, in
// order; nil for unlabelled images.
func (s *Set) LabelsOf(idx []int) []int {
	if s.Labels == nil {
		return nil
	}
	out := make([]int, len(idx))
	for k, i := range idx {
		out[k] = s.Labels[i]
	}
	return out
}

// Mean is each value's mean over the images, in [0, 1] (byte/255): the
// probability that a binarised pixel is on.
func (s *Set) Mean() []float64 {
	p, n := s.Size(), s.Len()
	sum := make([]float64, p)
	for i := range n {
		for j, b := range s.Pixels[i*p : (i+1)*p] {
			sum[j] += float64(b)
		}
	}
	for j := range sum {
		sum[j] /= 255 * float64(max(1, n))
	}
	return sum
}
