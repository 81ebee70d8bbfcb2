/** Runnable example programs. */
package dev.haetae.examples;
