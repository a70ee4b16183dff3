// Package serve owns the HTTP face of a trained VAE: a JSON API under /v1
// (sample, decode, encode, reconstruct, interpolate, the latent map, the
// graph, the run's metrics) and a page, embedded in the binary, that
// explores the latent space in the browser. It stands on model.Model, which
// answers many requests at once. A Site serves several models under names
// (/v1/models/NAME/...), and a page that shows two side by side (/compare):
// a VAE's distributions next to an autoencoder's points.
//
// Every request body is capped, decoded strictly (unknown fields are
// errors) and checked before the model sees it; a bad request is a 4xx
// whose JSON body names the field: {"error": "n: 0: want 1 to 10000"}.
package serve
