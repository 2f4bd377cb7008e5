/**
 * What makes a readiness check safe to ask as often as a load balancer likes, whatever the thing it
 * checks is doing: {@link dev.guardian.service.health.BoundedCheck} runs the probe on its own thread, one
 * at a time, reuses its outcome briefly and never lets a health request wait longer than a set timeout.
 * The chain's and the database's readiness indicators are built on it. The lowest layer of the service,
 * beside {@code locks} and {@code chain}: it knows nothing of any feature.
 */
package dev.guardian.service.health;
