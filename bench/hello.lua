-- wrk script of bench/hello.sh: every request is a Hello, the one transaction with Null authentication.
wrk.method = "POST"
wrk.body = '{"HelloRequest":{}}'
wrk.headers["Content-Type"] = "application/json"
