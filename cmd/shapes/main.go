// Command shapes writes a small colour image folder to train on: circles,
// squares and triangles of random colours (README, "Your own images").
//
// Usage:
//
//	go run ./cmd/shapes -out data/shapes [-n 2000] [-size 32] [-seed 1]
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("shapes", commands.Shapes) }
