// Command eval measures a trained VAE on the test set: the negative ELBO, its
// reconstruction and KL terms, and the importance-sampled negative
// log-likelihood (Burda et al. 2015), all in nats per image.
//
// Usage:
//
//	go run ./cmd/eval -checkpoint PATH [-k 5000] [-n IMAGES] [-seed 1] [-data DIR] [-recognise N] [-log text|json]
//
// It logs one line on stderr and prints one JSON line on stdout:
//
//	{"elbo":105.2,"recon":80.3,"kl":24.9,"nll":99.6,"k":5000,"n":1000,"seconds":62.1}
//
// where "elbo" is the negative ELBO (the training loss). The NLL estimate is a
// bound that tightens as -k grows, and always sits below the negative ELBO.
// With -recognise N, a conditional model's N samples per digit are read by a
// digit classifier trained on the spot (a few seconds), and the JSON gains
// "recognised" (the fraction read as the digit asked), "by_digit" and
// "classifier_accuracy".
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("eval", commands.Eval) }
