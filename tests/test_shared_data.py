"""Where the shared reference data is found: beside the checkout, or beside the checkout it was cloned from."""
import subprocess
from pathlib import Path

from training.shared_data import shared_data_dir


def git(*args, cwd: Path):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def make_checkout_beside_shared(root: Path) -> Path:
    (root / "shared" / "data" / "bitext").mkdir(parents=True)
    checkout = root / "main"
    checkout.mkdir()
    git("init", "-q", cwd=checkout)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "start", cwd=checkout)
    return checkout


def test_a_checkout_beside_shared_uses_it(tmp_path):
    checkout = make_checkout_beside_shared(tmp_path)
    assert shared_data_dir(repo_root=checkout) == tmp_path / "shared" / "data"


def test_a_throwaway_clone_finds_the_data_beside_its_origin(tmp_path, monkeypatch):
    monkeypatch.delenv("RLCS_SHARED_DATA", raising=False)
    checkout = make_checkout_beside_shared(tmp_path / "work")
    clone = tmp_path / "elsewhere" / "clone"
    clone.parent.mkdir()
    git("clone", "-q", str(checkout), str(clone), cwd=tmp_path)
    assert shared_data_dir(repo_root=clone) == (tmp_path / "work" / "shared" / "data").resolve()


def test_the_environment_and_the_command_line_come_first(tmp_path, monkeypatch):
    checkout = make_checkout_beside_shared(tmp_path)
    monkeypatch.setenv("RLCS_SHARED_DATA", str(tmp_path / "env"))
    assert shared_data_dir(repo_root=checkout) == tmp_path / "env"
    assert shared_data_dir(str(tmp_path / "flag"), repo_root=checkout) == tmp_path / "flag"


def test_with_no_data_anywhere_the_usual_place_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("RLCS_SHARED_DATA", raising=False)
    lone = tmp_path / "lone"
    lone.mkdir()
    git("init", "-q", cwd=lone)
    assert shared_data_dir(repo_root=lone) == tmp_path / "shared" / "data"
