"""The Demo Clinic: invented people and a realistic record, built on top of every app (this
package sits at the top of the layers, so it may import any of them)."""
