/**
 * The Guardian service: a Spring Boot application that receives agents' requests over HTTP, derives
 * what each would really do by simulating it on the chain, screens and judges it, and then signs and
 * submits, holds it for approval, or refuses it. Feature packages below own one concern each; Spring
 * lives here and nowhere else in the project.
 */
package dev.guardian.service;
