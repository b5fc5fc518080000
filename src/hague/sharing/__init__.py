"""Share: evidence packages a recipient can verify offline, redaction of protected persons, safe import, exports."""
