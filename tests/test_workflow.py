"""The GitHub Actions workflow: content-only commits publish without waiting for the browser suite;
everything else waits for it; deploys never go out of order."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT, copy_project_files

WORKFLOWS = PROJECT / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def test_content_only_commits_publish_without_waiting_for_the_tests() -> None:
    jobs = load("site.yml")["jobs"]
    assert jobs["publish-content"]["needs"] == "changes"
    assert jobs["publish-content"]["if"] == "needs.changes.outputs.content_only == 'true'"
    assert jobs["publish"]["needs"] == ["changes", "test"]
    assert jobs["publish"]["if"] == "needs.changes.outputs.content_only == 'false'"
    assert "if" not in jobs["test"]  # the suite runs on every pull request and every push to main
    steps = load("publish.yml")["jobs"]["publish"]["steps"]
    build = next(s for s in steps if "tools/setup.sh" in s.get("run", ""))
    assert "build.py check" in build["run"]
    # built for the address GitHub Pages serves, so absolute links and share images work there
    assert "steps.pages.outputs.base_url" in build["run"]
    assert any(s.get("uses", "").startswith("actions/configure-pages@") for s in steps)
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/cards"  # share images drawn by earlier runs are kept
    # ...but only from this branch and this code: never another branch's or version's
    code = "${{ hashFiles('sitegen/**/*.py', 'sitegen/site/fonts/*', 'pyproject.toml') }}"
    assert cache["with"]["restore-keys"] == f"cards-${{{{ github.ref_name }}}}-{code}-"
    assert cache["with"]["key"] == f"cards-${{{{ github.ref_name }}}}-{code}-${{{{ github.sha }}}}"


def test_an_older_deploy_never_publishes_over_a_newer_one() -> None:
    publish = load("publish.yml")["jobs"]["publish"]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": True}
    steps = {s.get("id") or s.get("uses", "").split("@")[0]: s for s in publish["steps"]}
    assert "git ls-remote origin refs/heads/main" in steps["head"]["run"]
    assert steps["actions/upload-pages-artifact"]["if"] == "steps.head.outputs.current == 'true'"
    assert steps["deployment"]["if"] == "steps.head.outputs.current == 'true'"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize("changed, expected", [
    (["content/constituencies/erewash.yml"], "true"),
    (["content/constituencies/erewash.yml", "content/overview.md"], "true"),
    (["content/constituencies/erewash.yml", "templates/base.html"], "false"),
    (["sitegen/results.py"], "false"),
])
def test_the_changes_step_tells_content_from_code(tmp_path: Path, changed: list[str], expected: str) -> None:
    """Runs the workflow's own shell step on a real repository."""
    step = next(s for s in load("site.yml")["jobs"]["changes"]["steps"] if s.get("id") == "diff")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "t")
    for name in changed:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("before\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before")
    before = git(repo, "rev-parse", "HEAD")
    for name in changed:
        (repo / name).write_text("after\n")
    git(repo, "commit", "-qam", "after")
    after = git(repo, "rev-parse", "HEAD")
    script = step["run"].replace("${{ github.event.before }}", before).replace("${{ github.event_name }}", "push")
    output = tmp_path / "output"
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, check=True,
                   env={**os.environ, "GITHUB_SHA": after, "GITHUB_OUTPUT": str(output)})
    assert output.read_text() == f"content_only={expected}\n"


def test_a_push_without_a_previous_commit_is_tested_first(tmp_path: Path) -> None:
    step = next(s for s in load("site.yml")["jobs"]["changes"]["steps"] if s.get("id") == "diff")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    script = step["run"].replace("${{ github.event.before }}", "0" * 40).replace("${{ github.event_name }}", "push")
    output = tmp_path / "output"
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, check=True,
                   env={**os.environ, "GITHUB_SHA": "HEAD", "GITHUB_OUTPUT": str(output)})
    assert output.read_text() == "content_only=false\n"


def test_a_file_moved_into_content_from_elsewhere_is_not_content_only(tmp_path: Path) -> None:
    """`git diff --name-only` lists a rename by its new path alone: a template moved into content/
    looked like a content-only change and was published without the tests."""
    step = next(s for s in load("site.yml")["jobs"]["changes"]["steps"] if s.get("id") == "diff")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "t")
    (repo / "templates").mkdir()
    (repo / "templates/base.html").write_text("<!doctype html>\n" * 20)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before")
    before = git(repo, "rev-parse", "HEAD")
    (repo / "content").mkdir()
    git(repo, "mv", "templates/base.html", "content/base.html")
    git(repo, "commit", "-qm", "after")
    script = step["run"].replace("${{ github.event.before }}", before).replace("${{ github.event_name }}", "push")
    output = tmp_path / "output"
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, check=True,
                   env={**os.environ, "GITHUB_SHA": git(repo, "rev-parse", "HEAD"), "GITHUB_OUTPUT": str(output)})
    assert output.read_text() == "content_only=false\n"


def _published_repo(tmp_path: Path) -> Path:
    """A repository holding the real site, committed (published), with git's identity set."""
    repo = copy_project_files(tmp_path / "repo", runnable=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "t")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "published")
    return repo


SEAT = "content/constituencies/erewash.yml"
CORRECTION = ("corrections:\n  - {at: 2024-07-05T04:10:00+01:00, was: {Adam Thompson: 17224, valid_votes: 43006}, "
              "why: \"Typing error: the declaration gives 17,242\"}\n")


def _mistype(repo: Path) -> None:
    text = (repo / SEAT).read_text()
    (repo / SEAT).write_text(text.replace("votes: 17224}", "votes: 17242}").replace("valid_votes: 43006", "valid_votes: 43024"))


def _refusal(repo: Path, revision: str) -> list[str]:
    line = next(i for i, row in enumerate((repo / SEAT).read_text().splitlines(), 1) if "Adam Thompson," in row)
    example = "{at: <when, like 2024-07-05T04:10:00+01:00>, was: {%s}, why: <for readers>}"
    return [
        f"{SEAT}:6: valid_votes: published as 43,006 ({revision}), 43,024 now; a published figure changes only with a "
        f"correction entry, which readers see: add under corrections: - {example % 'valid_votes: 43006'}",
        f"{SEAT}:{line}: Adam Thompson's votes: published as 17,224 ({revision}), 17,242 now; a published figure changes "
        f"only with a correction entry, which readers see: add under corrections: - {example % 'Adam Thompson: 17224'}",
        "2 errors in 1 file; nothing written."]


def test_the_publish_step_refuses_a_published_result_changed_without_a_correction(tmp_path: Path) -> None:
    """Runs the publish workflow's own check on a real repository: the push before is what was published."""
    import sys
    step = next(s for s in load("publish.yml")["jobs"]["publish"]["steps"] if "tools/setup.sh" in s.get("run", ""))
    script = step["run"][step["run"].index('before="'):].replace(".venv/bin/python", sys.executable)
    repo = _published_repo(tmp_path)
    before = git(repo, "rev-parse", "HEAD")
    _mistype(repo)
    git(repo, "commit", "-qam", "a figure changed")

    def run_step() -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", script.replace("${{ github.event.before }}", before)], cwd=repo,
                              capture_output=True, text=True)
    refused = run_step()
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == _refusal(repo, before)
    (repo / SEAT).write_text((repo / SEAT).read_text() + CORRECTION)
    git(repo, "commit", "-qam", "the correction, in the open")
    passed = run_step()
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith("Checked 11 constituencies and 37 pages: no errors")


def test_the_pre_commit_hook_refuses_a_published_result_changed_without_a_correction(tmp_path: Path) -> None:
    import sys
    hook = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"] == "python build.py check --published HEAD"
    repo = _published_repo(tmp_path)
    _mistype(repo)
    command = [sys.executable] + hook["entry"].split()[1:]
    refused = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stderr.splitlines() == _refusal(repo, "HEAD")
    (repo / SEAT).write_text((repo / SEAT).read_text() + CORRECTION)
    assert subprocess.run(command, cwd=repo, capture_output=True, text=True).returncode == 0
