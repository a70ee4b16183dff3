package sample

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/model"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// digitColors tell the ten digits apart (Tableau's palette).
var digitColors = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

// Scatter plots the latent means of the first n test images (all if n ≤ 0)
// in two dimensions, coloured by digit: the first two latent dimensions of a
// 2-D model, the first two principal components otherwise.
func Scatter(m *model.Model, path string, set *dataset.Set, n int) error {
	if n <= 0 || n > set.Len() {
		n = set.Len()
	}
	codes, err := encode(m, set, dataset.Sequential(n))
	if err != nil {
		return err
	}
	proj, err := NewProjection(codes.Mu, m.Config().Code())
	if err != nil {
		return err
	}
	xy, axes := proj.Apply(codes.Mu), proj.Names
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Latent means of %d test images (epoch %d)", n, m.Epochs())
	p.X.Label.Text, p.Y.Label.Text = axes[0], axes[1]
	p.Legend.Top = true
	for digit := range 10 {
		var pts plotter.XYs
		for i := range n {
			if set.Labels[i] == digit {
				pts = append(pts, plotter.XY{X: xy[2*i], Y: xy[2*i+1]})
			}
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: digitColors[digit], Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}
		p.Add(s)
		p.Legend.Add(strconv.Itoa(digit), s)
	}
	return savePlot(p, path, 16*vg.Centimeter, 14*vg.Centimeter)
}

// LossCurves plots train and test loss per epoch from a run's metrics.csv.
func LossCurves(path, metrics string) error {
	epochs, series, err := ReadMetrics(metrics, "train_loss", "test_loss")
	if err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = "Loss per image (negative ELBO)"
	p.X.Label.Text, p.Y.Label.Text = "epoch", "nats"
	p.Add(plotter.NewGrid())
	for k, name := range []string{"train", "test"} {
		pts := make(plotter.XYs, len(epochs))
		for i := range epochs {
			pts[i] = plotter.XY{X: epochs[i], Y: series[k][i]}
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		line.Color, points.Color = digitColors[k], digitColors[k]
		p.Add(line, points)
		p.Legend.Add(name, line, points)
	}
	p.Legend.Top = true
	return savePlot(p, path, 14*vg.Centimeter, 10*vg.Centimeter)
}

// ReadMetrics reads the epoch column and the named columns of a run's
// metrics.csv.
func ReadMetrics(path string, columns ...string) ([]float64, [][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("metrics %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, nil, fmt.Errorf("metrics %s: no epochs recorded", path)
	}
	index := map[string]int{}
	for i, name := range rows[0] {
		index[name] = i
	}
	want := append([]string{"epoch"}, columns...)
	values := make([][]float64, len(want))
	for k, name := range want {
		col, ok := index[name]
		if !ok {
			return nil, nil, fmt.Errorf("metrics %s: no %q column in header %q", path, name, strings.Join(rows[0], ","))
		}
		for line, row := range rows[1:] {
			v, err := strconv.ParseFloat(row[col], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("metrics %s:%d: %s: %w", path, line+2, name, err)
			}
			values[k] = append(values[k], v)
		}
	}
	return values[0], values[1:], nil
}

// PlotFormats are the extensions plots can be saved with.
var PlotFormats = []string{".png", ".svg"}

func savePlot(p *plot.Plot, path string, w, h vg.Length) error {
	ext := extension(path)
	if ext != ".png" && ext != ".svg" {
		return fmt.Errorf("%s: unknown extension %q for a plot: want .png or .svg", path, ext)
	}
	wt, err := p.WriterTo(w, h, strings.TrimPrefix(ext, "."))
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		_, err := wt.WriteTo(out)
		return err
	})
}
