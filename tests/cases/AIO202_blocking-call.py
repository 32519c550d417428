# Lint-only case file for AIO202: every unannotated line asserts silence.
import asyncio
import os
import shutil
import socket
import subprocess
import urllib.request
from subprocess import run as sh
from urllib.request import urlopen

import httpx
import mypkg.db
import requests


async def calls(url):
    requests.get(url)  # error: AIO202
    requests.request("GET", url)  # error: AIO202
    httpx.post(url)  # error: AIO202
    urllib.request.urlopen(url)  # error: AIO202
    urlopen(url)  # error: AIO202
    sh(["ls"])  # error: AIO202
    subprocess.check_output(["ls"])  # error: AIO202
    os.system("ls")  # error: AIO202
    os.waitpid(1, 0)  # error: AIO202
    input()  # error: AIO202
    socket.create_connection(("example.invalid", 80))  # error: AIO202
    shutil.rmtree("build")  # error: AIO202
    shutil.make_archive("dist/site", "zip", "build")  # error: AIO202
    shutil.unpack_archive("dist/site.zip", "out")  # error: AIO202
    data = requests.get(url).json()  # error: AIO202
    mypkg.db.query("select 1")  # error: AIO202

    # Near misses: async clients, references, non-blocking constructors, nested sync code.
    async with httpx.AsyncClient() as client:
        await client.get(url)
    await asyncio.create_subprocess_exec("ls")
    await asyncio.to_thread(requests.get, url)
    session = requests.Session()
    path = os.path.join("a", "b")
    shutil.which("make")
    shutil.get_archive_formats()
    process = subprocess.Popen(["ls"])  # error: AIO202
    mypkg.db.connect()

    def inner():
        requests.get(url)

    return data, session, path, process, inner, requests.get


def sync(url):
    requests.get(url)


async def shadowed(input, requests):
    input()
    requests.get("x")
